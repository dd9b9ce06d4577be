-- #21 step 2 (ADR 0006): a municipality's own staff (moderators and admins, and invitations to
-- them), chosen neighbours and a sharing radius, and the canonical public URL of its site.
-- Existing users with the region-wide moderator/admin role keep acting everywhere.
CREATE TYPE "public"."municipality_role" AS ENUM('moderator', 'admin');--> statement-breakpoint
CREATE TABLE "municipality_neighbours" (
	"municipality_id" uuid NOT NULL,
	"neighbour_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "municipality_neighbours_municipality_id_neighbour_id_pk" PRIMARY KEY("municipality_id","neighbour_id"),
	CONSTRAINT "municipality_neighbours_not_self" CHECK ("municipality_neighbours"."municipality_id" <> "municipality_neighbours"."neighbour_id")
);
--> statement-breakpoint
CREATE TABLE "municipality_staff" (
	"municipality_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "municipality_role" DEFAULT 'moderator' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "municipality_staff_municipality_id_user_id_pk" PRIMARY KEY("municipality_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "staff_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" "municipality_role" DEFAULT 'moderator' NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "municipalities" ADD COLUMN "public_url" text;--> statement-breakpoint
ALTER TABLE "municipalities" ADD COLUMN "neighbour_radius_km" integer;--> statement-breakpoint
ALTER TABLE "municipality_neighbours" ADD CONSTRAINT "municipality_neighbours_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "municipality_neighbours" ADD CONSTRAINT "municipality_neighbours_neighbour_id_municipalities_id_fk" FOREIGN KEY ("neighbour_id") REFERENCES "public"."municipalities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "municipality_staff" ADD CONSTRAINT "municipality_staff_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "municipality_staff" ADD CONSTRAINT "municipality_staff_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_invitations" ADD CONSTRAINT "staff_invitations_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_invitations" ADD CONSTRAINT "staff_invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "municipality_staff_user_idx" ON "municipality_staff" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_invitations_token_key" ON "staff_invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "staff_invitations_municipality_idx" ON "staff_invitations" USING btree ("municipality_id","email");--> statement-breakpoint
ALTER TABLE "municipalities" ADD CONSTRAINT "municipalities_radius_range" CHECK ("municipalities"."neighbour_radius_km" is null or ("municipalities"."neighbour_radius_km" between 1 and 500));--> statement-breakpoint
ALTER TABLE "municipalities" ADD CONSTRAINT "municipalities_lat_range" CHECK ("municipalities"."lat" is null or ("municipalities"."lat" between -90 and 90));--> statement-breakpoint
ALTER TABLE "municipalities" ADD CONSTRAINT "municipalities_lon_range" CHECK ("municipalities"."lon" is null or ("municipalities"."lon" between -180 and 180));