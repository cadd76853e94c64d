CREATE TABLE "provider_routing" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"policy" text NOT NULL,
	"providers" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "provider_routing" ADD CONSTRAINT "provider_routing_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;