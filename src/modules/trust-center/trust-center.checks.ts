import type { PolicyVisibility } from "../../db/types.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import { deadlineState } from "../../domain/deadlines.ts";
import {
  type ControlTest,
  type Offender,
  outcomeFrom,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { type PolicyAsOf, policyAsOf, policyVisibilityAsOf } from "../policies/policies.queries.ts";
import {
  type PublicationState,
  publicationAsOf,
  TRUST_CENTER_SOURCE,
} from "./trust-center.service.ts";
import { COMMITMENTS_CONTROL, SERVICES_CONTROL } from "./trust-content.ts";

/**
 * Control tests that read the trust center: services-described, commitments-published and
 * policy-public. Each reads the publication in force at the evaluation time (the history keeps
 * every one, offline included) and the control's policy as it stood then: the policy live then,
 * its version published most recently before then and that version's approvals before then.
 */
const SOURCES = [TRUST_CENTER_SOURCE, "policies"] as const;
const TRUST_CENTER_LINK = "/trust-center";

function publicationOf(context: TestContext): Promise<PublicationState | undefined> {
  return context.shared("trust-center-publication", () =>
    publicationAsOf(context.tx, context.asOf),
  );
}

function trustCenterOffender(label: string, action: string): Offender {
  return { kind: "trust_center", id: "trust-center", label, link: TRUST_CENTER_LINK, action };
}

function offline(publication: PublicationState | undefined, what: string): TestOutcome | undefined {
  if (publication?.online) return undefined;
  return {
    state: "failing",
    message: publication
      ? "The trust center is offline."
      : "The trust center has never been published.",
    offenders: [
      trustCenterOffender(
        "Trust center offline",
        `Publish the trust center so that the public can read the ${what}.`,
      ),
    ],
  };
}

function missingDocument(controlKey: string, doc: PolicyAsOf | undefined): TestOutcome | undefined {
  if (!doc) {
    return {
      state: "failing",
      message: "There is no policy document for this control.",
      offenders: [
        {
          kind: "control",
          id: controlKey,
          label: "No document",
          link: `/policies/new?control=${controlKey}`,
          action: "Create the document from its template, have it approved and publish it.",
        },
      ],
    };
  }
  if (!doc.versionId) {
    return {
      state: "failing",
      message: "The document has no published version.",
      offenders: [
        {
          kind: "policy",
          id: doc.id,
          label: doc.title,
          link: `/policies/${doc.id}`,
          action: "Submit a version for approval and have an owner or admin approve it.",
        },
      ],
    };
  }
  return undefined;
}

/**
 * services-described and commitments-published: the trust center is online, shows the
 * document, and the document's current version was approved (or re-approved) within the
 * review period, due soon in the warning window before.
 */
function documentShownAndReviewed(options: {
  what: string;
  shown: (publication: PublicationState) => boolean;
}) {
  return async (context: TestContext): Promise<TestOutcome> => {
    const { tx, controlKey, asOf, settings } = context;
    const publication = await publicationOf(context);
    const notOnline = offline(publication, options.what);
    if (notOnline) return notOnline;
    if (publication && !options.shown(publication)) {
      return {
        state: "failing",
        message: `The trust center does not show the ${options.what}.`,
        offenders: [
          trustCenterOffender(
            `${options.what} hidden`,
            `Turn on "${options.what}" in the trust center settings and publish.`,
          ),
        ],
      };
    }
    const doc = await policyAsOf(tx, controlKey, asOf);
    const missing = missingDocument(controlKey, doc);
    if (missing || !doc) return missing as TestOutcome;
    const approvedAt = doc.lastApprovedAt ?? (doc.publishedAt as Date);
    const dueAt = addDays(approvedAt, settings.policyReviewDays);
    const state = deadlineState(dueAt, asOf, settings.policyReviewWarnDays);
    const offender: Offender = {
      kind: "policy",
      id: doc.id,
      label: `${doc.title} v${doc.version}`,
      link: `/policies/${doc.id}`,
      action: "Review the document and re-approve it (or publish a revised version).",
      dueAt: dueAt.toISOString(),
      state: state === "passing" ? undefined : state,
    };
    return outcomeFrom(state === "passing" ? [] : [offender], {
      passing: `The trust center shows version ${doc.version}, last approved ${isoDay(approvedAt)}; next review due ${isoDay(dueAt)}.`,
      failing: `The ${options.what} shown was due for review ${isoDay(dueAt)}.`,
      dueSoon: `The ${options.what} shown is due for review ${isoDay(dueAt)}.`,
    });
  };
}

/** Every policy's visibility at the evaluation time, read once per evaluation for all controls. */
function visibilityOf(context: TestContext): Promise<Map<string, PolicyVisibility>> {
  return context.shared("policy-visibility", () => policyVisibilityAsOf(context.tx, context.asOf));
}

/** policy-public: the policy is public and its current version is shown on an online trust center. */
async function policyPublic(context: TestContext): Promise<TestOutcome> {
  const { tx, controlKey, asOf } = context;
  const doc = await policyAsOf(tx, controlKey, asOf);
  const missing = missingDocument(controlKey, doc);
  if (missing || !doc) return missing as TestOutcome;
  const visibility = (await visibilityOf(context)).get(doc.id) ?? doc.visibility;
  if (visibility !== "public") {
    return {
      state: "failing",
      message: "The policy is internal, so the trust center does not show it.",
      offenders: [
        {
          kind: "policy",
          id: doc.id,
          label: doc.title,
          link: `/policies/${doc.id}`,
          action: "Mark the policy as public so the trust center shows it.",
        },
      ],
    };
  }
  const notOnline = offline(await publicationOf(context), doc.title);
  if (notOnline) return notOnline;
  return {
    state: "passing",
    message: `Version ${doc.version} is public on the trust center.`,
    offenders: [],
  };
}

export const trustCenterChecks: readonly ControlTest[] = [
  {
    testKey: "services-described",
    controls: [SERVICES_CONTROL],
    sources: SOURCES,
    run: documentShownAndReviewed({
      what: "Description of Services",
      shown: (p) => p.settings.showDescriptionOfServices,
    }),
  },
  {
    testKey: "commitments-published",
    controls: [COMMITMENTS_CONTROL],
    sources: SOURCES,
    run: documentShownAndReviewed({
      what: "Security Commitments",
      shown: (p) => p.settings.showSecurityCommitments,
    }),
  },
  {
    testKey: "policy-public",
    controls: "catalog",
    sources: SOURCES,
    run: policyPublic,
  },
];
