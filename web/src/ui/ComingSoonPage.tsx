// A calm placeholder for the areas of the program that are not built yet.
import { Link } from "react-router";
import { EmptyState } from "./EmptyState";
import type { IconName } from "./Icon";
import { PageHeader } from "./PageHeader";
import { useCan } from "./session";

export interface Area {
  path: string;
  title: string;
  icon: IconName;
  summary: string;
  plans: string[];
}

export const comingSoonAreas: Area[] = [
  {
    path: "/access",
    title: "Access",
    icon: "access",
    summary: "Accounts, grants, access keys and scheduled access reviews.",
    plans: [
      "Access reviews by system owners",
      "Least-privilege role rules",
      "SSH and access key registry",
    ],
  },
];

export function ComingSoonPage({ area }: { area: Area }) {
  const can = useCan();
  return (
    <>
      <PageHeader title={area.title} description={area.summary} />
      <EmptyState
        icon={area.icon}
        title="Coming soon"
        actions={
          can("controls.read") && (
            <Link className="button button-secondary" to="/controls">
              Browse the control catalog
            </Link>
          )
        }
      >
        <p>This part of Attest is being built. When it arrives it will include:</p>
        <ul className="plain-list">
          {area.plans.map((plan) => (
            <li key={plan}>{plan}</li>
          ))}
        </ul>
      </EmptyState>
    </>
  );
}
