// The dashboard: how much of the program passes, what changed, what to do next, and a year
// of daily history.
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api } from "../api";
import { AttentionList } from "../components/AttentionList";
import { Callout } from "../components/Callout";
import { ChangesList } from "../components/ChangesList";
import { DashboardSummary } from "../components/DashboardSummary";
import { HistoryChart } from "../components/HistoryChart";
import { Icon } from "../components/Icon";
import { LoadError, PageLoading } from "../components/Loading";
import { PageHeader } from "../components/PageHeader";
import { addDaysToDay, plural, utcDay } from "../format";
import { keys, useMyPolicies } from "../queries";
import { useCan, useSession } from "../session";

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

function GettingStarted() {
  const { user } = useSession();
  const can = useCan();
  const steps = [
    {
      done: user.mfaEnabled,
      to: "/account#two-factor",
      label: "Protect your account with two-factor authentication",
      show: true,
    },
    {
      done: false,
      to: "/settings/users",
      label: "Invite your team and assign roles",
      show: can("users.manage"),
    },
    {
      done: false,
      to: "/controls",
      label: "Give every control an owner",
      show: can("controls.update"),
    },
    {
      done: false,
      to: "/policies/new",
      label: "Publish your policies from the templates",
      show: can("policies.manage"),
    },
  ].filter((step) => step.show);

  return (
    <section className="section card" aria-labelledby="start-heading">
      <h2 id="start-heading" className="section-title">
        Getting started
      </h2>
      <ol className="checklist">
        {steps.map((step) => (
          <li
            key={step.to}
            className={step.done ? "checklist-item checklist-done" : "checklist-item"}
          >
            <span className="checklist-mark" aria-hidden="true">
              {step.done && <Icon name="check" />}
            </span>
            <Link to={step.to}>{step.label}</Link>
            {step.done && <span className="visually-hidden"> (done)</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Monitoring() {
  const dashboard = useQuery({ queryKey: keys.dashboard, queryFn: api.dashboard });
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
          <GettingStarted />
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
      <PendingPolicies />
      {can("controls.read") ? <Monitoring /> : <GettingStarted />}
    </>
  );
}
