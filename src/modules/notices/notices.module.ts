import type { Area } from "../area.ts";
import { seedDemoNotices } from "./notices.demo.ts";
import { noticesJobs } from "./notices.jobs.ts";
import { noticesPublicRoutes } from "./notices.public.ts";
import { noticesAuditTargets } from "./notices.queries.ts";
import { noticesRoutes } from "./notices.routes.ts";
import { noticesTrustSection } from "./notices.trust.ts";

/** Customer notices: incidents and changes told on the trust center, by Atom and by mail. */
export const noticesArea: Area = {
  name: "notices",
  tables: ["notices", "notice_updates", "notice_subscribers", "notice_deliveries"],
  secrets: [{ table: "notice_subscribers", columns: ["unsubscribe_token_enc"], kind: "sealed" }],
  routes: noticesRoutes,
  publicRoutes: noticesPublicRoutes,
  jobs: noticesJobs,
  sources: ["notices"],
  trustSections: [noticesTrustSection],
  demo: seedDemoNotices,
  auditTargets: noticesAuditTargets,
};

declare module "../change.ts" {
  interface DataSources {
    notices: true;
  }
}
