ALTER TABLE "calls" ADD COLUMN "queue" text DEFAULT 'general' NOT NULL;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "assignee_user_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "queues" jsonb DEFAULT '["general"]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_assignee_user_id_users_id_fk" FOREIGN KEY ("assignee_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;