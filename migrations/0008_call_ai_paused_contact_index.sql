ALTER TABLE "calls" ADD COLUMN "ai_paused" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "media_instance" text;--> statement-breakpoint
CREATE INDEX "calls_contact_idx" ON "calls" USING btree ("tenant_id",("metadata"->>'contactId')) WHERE ("calls"."metadata"->>'contactId') is not null;--> statement-breakpoint
-- aiPaused used to live in the call's metadata: move it into its column.
UPDATE "calls" SET "ai_paused" = true WHERE "metadata"->>'aiPaused' = 'true';--> statement-breakpoint
UPDATE "calls" SET "metadata" = "metadata" - 'aiPaused' WHERE "metadata" ? 'aiPaused';
