// Reading one policy that applies to me, and acknowledging its current version.
import { useMutation, useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { Callout } from "../../ui/Callout";
import { EmptyState } from "../../ui/EmptyState";
import { FormAlert } from "../../ui/FormAlert";
import { formatDate, formatDateTime } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { DueDate } from "../../ui/Offenders";
import { PageHeader } from "../../ui/PageHeader";
import { PolicyHtml } from "../../ui/PolicyHtml";
import { keys } from "../../ui/queries";
import { policiesApi } from "./api";
import { usePolicySaved } from "./policy-cache";
import { useMyPolicies } from "./queries";

function BackLink() {
  return (
    <Link className="back-link" to="/my/policies">
      <Icon name="arrowLeft" />
      My policies
    </Link>
  );
}

export function MyPolicyPage() {
  const { id = "" } = useParams();
  const saved = usePolicySaved();
  const policy = useQuery({ queryKey: keys.policy(id), queryFn: () => policiesApi.policy(id) });
  const mine = useMyPolicies();
  const acknowledge = useMutation({
    mutationFn: (versionId: string) => policiesApi.acknowledgePolicy(id, versionId),
    onSuccess: () => {
      saved();
      void policy.refetch();
    },
  });

  if (policy.isPending || mine.isPending) return <PageLoading label="Loading policy" />;
  if (policy.isError || mine.isError) {
    return (
      <>
        <BackLink />
        <PageHeader title="Policy" />
        <LoadError
          error={policy.error ?? mine.error}
          onRetry={() => {
            void policy.refetch();
            void mine.refetch();
          }}
        />
      </>
    );
  }

  const p = policy.data;
  const current = p.versions.find((v) => v.status === "published");
  const item = mine.data.find((m) => m.policyId === id);
  const acknowledgedAt = item?.acknowledgedAt ?? acknowledge.data?.acknowledgedAt ?? null;

  return (
    <>
      <BackLink />
      <PageHeader
        title={p.title}
        eyebrow="My policies"
        description={
          current
            ? `Version ${current.version}, published ${formatDate(current.publishedAt)}.`
            : undefined
        }
      />
      {!current ? (
        <EmptyState icon="policies" title="This policy has no published version" />
      ) : (
        <>
          {!item && (
            <Callout tone="info" title="This policy does not ask you to acknowledge it">
              <p>You can read it; it applies to other people in your organization.</p>
            </Callout>
          )}
          {item && !acknowledgedAt && (
            <p className="reading-note">
              Read the policy, then confirm at the end. <DueDate dueAt={item.dueAt} />{" "}
              <a href="#acknowledge">Go to the acknowledgement</a>
            </p>
          )}
          <section className="card section policy-reading" aria-label="Policy text">
            <PolicyHtml
              html={current.html}
              label={`${p.title}, version ${current.version}`}
              headingOffset={1}
            />
          </section>
          {item && item.versionId === current.id && (
            <section
              className="card section acknowledge-box"
              id="acknowledge"
              aria-labelledby="ack-heading"
            >
              <h2 id="ack-heading" className="section-title">
                Acknowledgement
              </h2>
              {acknowledgedAt ? (
                <Callout
                  tone="success"
                  title={`You acknowledged version ${current.version}`}
                  role="status"
                  focusOnMount={acknowledge.isSuccess}
                >
                  <p>On {formatDateTime(acknowledgedAt)}. Thank you.</p>
                </Callout>
              ) : (
                <>
                  <p>
                    By confirming, you state that you have read version {current.version} of this
                    policy and will follow it. <DueDate dueAt={item.dueAt} />
                  </p>
                  <FormAlert error={acknowledge.error} />
                  <div className="form-actions">
                    <button
                      type="button"
                      className="button button-primary"
                      disabled={acknowledge.isPending}
                      onClick={() => acknowledge.mutate(current.id)}
                    >
                      {acknowledge.isPending
                        ? "Saving…"
                        : `I have read and acknowledge version ${current.version}`}
                    </button>
                  </div>
                </>
              )}
            </section>
          )}
        </>
      )}
    </>
  );
}
