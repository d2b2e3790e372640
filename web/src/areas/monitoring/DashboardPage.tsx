// The dashboard: how much of the program passes, what changed, what to do next, a year of
// daily history; for owners and admins, the getting-started checklist and whether mail is off.
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { Callout } from "../../ui/Callout";
import { addDaysToDay, plural, utcDay } from "../../ui/format";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { keys } from "../../ui/queries";
import { useCan, useSession } from "../../ui/session";
import { MyAccessTasks } from "../access/MyAccessTasks";
import { MyAccessReviews } from "../access-reviews/MyAccessReviews";
import { useMyPolicies } from "../policies/queries";
import { AttentionList } from "./AttentionList";
import { monitoringApi } from "./api";
import { ChangesList } from "./ChangesList";
import { DashboardSummary } from "./DashboardSummary";
import { GettingStartedChecklist } from "./GettingStartedChecklist";
import { HistoryChart } from "./HistoryChart";
import { MailOffNotice } from "./MailOffNotice";

function greeting(): string {
  const hour = new Date().getHours();
  if (hour < 12) return "Good morning";
  if (hour < 18) return "Good afternoon";
  return "Good evening";
}

function PendingPolicies() {
  const can = useCan();
  const mine = useMyPolicies(can("policies.acknowledge"));
  const pending = (mine.data ?? []).filter((p) => !p.acknowledgedAt);
  if (pending.length === 0) return null;
  return (
    <Callout
      tone="warning"
      title={`You have ${plural(pending.length, "policy", "policies")} to acknowledge`}
    >
      <p>
        Read {pending.length === 1 ? "it" : "them"} and confirm you have done so.{" "}
        <Link to="/my/policies">Go to my policies</Link>
      </p>
    </Callout>
  );
}

function Monitoring() {
  const can = useCan();
  const dashboard = useQuery({ queryKey: keys.dashboard, queryFn: monitoringApi.dashboard });
  if (dashboard.isPending) return <PageLoading label="Loading the dashboard" />;
  if (dashboard.isError) {
    return <LoadError error={dashboard.error} onRetry={() => dashboard.refetch()} />;
  }
  const d = dashboard.data;
  const yesterday = addDaysToDay(utcDay(new Date(d.generatedAt)), -1);
  const compared = d.history.some((h) => h.day === yesterday);
  return (
    <>
      <DashboardSummary dashboard={d} />
      <div className="dashboard-grid">
        <AttentionList items={d.attention} />
        <div className="dashboard-side">
          <ChangesList changes={d.changes} compared={compared} />
          {can("organization.update") && <GettingStartedChecklist />}
        </div>
      </div>
      <section className="card section" aria-labelledby="history-heading">
        <div className="section-header">
          <h2 id="history-heading" className="section-title">
            Last 12 months
          </h2>
          <p className="section-description">
            Every control's status in each day's snapshot, stacked. Days without a snapshot are left
            blank.
          </p>
        </div>
        <HistoryChart history={d.history} />
      </section>
    </>
  );
}

export function DashboardPage() {
  const { user, organization } = useSession();
  const can = useCan();
  const firstName = user.name.split(/\s+/)[0] || user.name;
  return (
    <>
      <PageHeader
        title="Dashboard"
        eyebrow={organization.name}
        description={`${greeting()}, ${firstName}. Here is where your compliance program stands.`}
      />
      {can("organization.update") && <MailOffNotice />}
      <PendingPolicies />
      <MyAccessTasks />
      <MyAccessReviews />
      {can("controls.read") ? (
        <Monitoring />
      ) : (
        can("organization.update") && <GettingStartedChecklist />
      )}
    </>
  );
}
