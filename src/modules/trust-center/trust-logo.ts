import { sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import { actorUserId } from "../../platform/context.ts";
import { sha256Hex } from "../../platform/crypto.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { type LogoType, MAX_LOGO_BYTES } from "./trust-center.schema.ts";
import { draftSettings, getTrustCenter, saveDraft } from "./trust-center.service.ts";

/** The trust center's logo: uploaded into the draft, kept while a publication uses it. */
const SIGNATURES: Record<Exclude<LogoType, "image/svg+xml">, (b: Buffer) => boolean> = {
  "image/png": (b) =>
    b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  "image/jpeg": (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  "image/webp": (b) =>
    b.subarray(0, 4).toString("latin1") === "RIFF" &&
    b.subarray(8, 12).toString("latin1") === "WEBP",
};

function looksLikeSvg(data: Buffer): boolean {
  const text = data
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart();
  if (!/^<(\?xml|svg|!--|!DOCTYPE svg)/i.test(text)) return false;
  return /<svg[\s>]/i.test(text) && /<\/svg>\s*$/i.test(text);
}

/** Uploads a logo into the draft: the image type must match its bytes. */
export async function uploadLogo(ctx: Context, input: { contentType: LogoType; data: string }) {
  const data = Buffer.from(input.data, "base64");
  if (data.length === 0) throw errors.validation("data", "must not be empty");
  if (data.length > MAX_LOGO_BYTES) throw errors.validation("data", "must be at most 256 KiB");
  const matches =
    input.contentType === "image/svg+xml"
      ? looksLikeSvg(data)
      : SIGNATURES[input.contentType](data);
  if (!matches) throw errors.validation("data", `is not a ${input.contentType} image`);
  // The logo shows only once published: nothing to re-evaluate.
  await applyChange(ctx, null, async ({ tx, audit }) => {
    const sha256 = sha256Hex(data);
    const logo = await tx
      .insertInto("trust_center_logos")
      .values({
        organization_id: ctx.organizationId,
        content_type: input.contentType,
        data,
        sha256,
        uploaded_by: actorUserId(ctx.actor),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const before = (await draftSettings(tx)).settings;
    await saveDraft(tx, ctx, { ...before, logoId: logo.id });
    await dropUnusedLogos(tx, logo.id);
    await audit({
      action: "trust_center.logo_uploaded",
      targetType: "trust_center_logo",
      targetId: logo.id,
      before: { logoId: before.logoId },
      after: { logoId: logo.id, contentType: input.contentType, size: data.length, sha256 },
    });
  });
  return getTrustCenter(ctx);
}

export async function deleteLogo(ctx: Context) {
  await applyChange(ctx, null, async ({ tx, audit }) => {
    const before = (await draftSettings(tx)).settings;
    if (!before.logoId) throw errors.notFound("The draft's logo");
    await saveDraft(tx, ctx, { ...before, logoId: null });
    await dropUnusedLogos(tx, null);
    await audit({
      action: "trust_center.logo_removed",
      targetType: "trust_center_logo",
      targetId: before.logoId,
      before: { logoId: before.logoId },
      after: { logoId: null },
    });
  });
  return getTrustCenter(ctx);
}

/**
 * Logos neither in the draft nor in any publication are gone for good: every publication keeps
 * the logo it made live (the history shows what the public saw), the rest is dropped.
 */
async function dropUnusedLogos(tx: Tx, draftLogoId: string | null) {
  await tx
    .deleteFrom("trust_center_logos")
    .$if(draftLogoId !== null, (qb) => qb.where("id", "<>", draftLogoId as string))
    .where((eb) =>
      eb(
        eb.cast("id", "text"),
        "not in",
        eb
          .selectFrom("trust_center_publications")
          .select(sql<string>`settings->>'logoId'`.as("logo_id"))
          .where(sql`settings->>'logoId'`, "is not", null),
      ),
    )
    .execute();
}

export async function loadLogo(tx: Tx, id: string) {
  const row = await tx
    .selectFrom("trust_center_logos")
    .select(["content_type", "data", "sha256"])
    .where("id", "=", id)
    .executeTakeFirst();
  return row
    ? { contentType: row.content_type, data: Buffer.from(row.data), sha256: row.sha256 }
    : undefined;
}
