// The dashboard: a welcome, the catalog at a glance, and what to do first.
import { Link } from "react-router";
import { Callout } from "../components/Callout";
import { Icon } from "../components/Icon";
import { LoadError, PageLoading } from "../components/Loading";
import { PageHeader } from "../components/PageHeader";
import { CATEGORIES, plural, slug } from "../format";
import { useControls } from "../queries";
import { useCan, useSession } from "../session";

function greeting(): string {
  const hour = new Date().getHours();
  if (hour < 12) return "Good morning";
  if (hour < 18) return "Good afternoon";
  return "Good evening";
}

function CatalogOverview() {
  const controls = useControls();
  if (controls.isPending) return <PageLoading label="Loading controls" />;
  if (controls.isError)
    return <LoadError error={controls.error} onRetry={() => controls.refetch()} />;

  const counts = new Map<string, number>();
  for (const control of controls.data)
    counts.set(control.category, (counts.get(control.category) ?? 0) + 1);

  return (
    <section className="section" aria-labelledby="catalog-heading">
      <div className="section-header">
        <h2 id="catalog-heading" className="section-title">
          Your control catalog
        </h2>
        <p className="section-description">
          {plural(controls.data.length, "control")} across{" "}
          {plural(CATEGORIES.length, "category", "categories")}, mapped to the SOC 2 Trust Services
          Criteria.
        </p>
      </div>
      <ul className="stat-grid">
        {CATEGORIES.map((category) => (
          <li key={category}>
            <Link className="stat-card" to={`/controls#${slug(category)}`}>
              <span className="stat-label">{category}</span>
              <span className="stat-value">{counts.get(category) ?? 0}</span>
              <span className="stat-unit">
                {(counts.get(category) ?? 0) === 1 ? "control" : "controls"}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
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
      <Callout tone="info" title="Control monitoring arrives soon">
        <p>
          Attest will evaluate every control continuously from your live data and name the exact
          records behind any failure. Until then, every control shows as “Not evaluated”.
        </p>
      </Callout>
      <div className="dashboard-grid">
        {can("controls.read") && <CatalogOverview />}
        <GettingStarted />
      </div>
    </>
  );
}
