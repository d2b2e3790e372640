// A new policy: from one of the templates Attest ships, or from a blank page.
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { SelectField, TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { plural } from "../../ui/format";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { keys } from "../../ui/queries";
import { Badge } from "../../ui/StatusBadge";
import { useControls } from "../controls/queries";
import { policiesApi } from "./api";
import { VisibilityBadge } from "./PolicyBadges";
import { usePolicySaved } from "./policy-cache";
import { usePolicies } from "./queries";
import type { NewPolicyInput, PolicySummary, PolicyTemplate, Visibility } from "./types";

function useCreatePolicy() {
  const navigate = useNavigate();
  const saved = usePolicySaved();
  return useMutation({
    mutationFn: (input: NewPolicyInput) => policiesApi.createPolicy(input),
    onSuccess: (policy) => {
      saved(policy);
      navigate(`/policies/${policy.id}`);
    },
  });
}

interface TemplateListProps {
  templates: PolicyTemplate[];
  live: Map<string, PolicySummary>;
  suggested: string | null;
}

function TemplateList({ templates, live, suggested }: TemplateListProps) {
  const controls = useControls();
  const create = useCreatePolicy();
  const ordered = [...templates].sort(
    (a, b) => Number(b.controlKey === suggested) - Number(a.controlKey === suggested),
  );
  const controlTitle = (key: string) => controls.data?.find((c) => c.key === key)?.title ?? key;
  return (
    <>
      <FormAlert error={create.error} title="The policy could not be created" />
      <ul className="template-list">
        {ordered.map((template) => {
          const existing = live.get(template.controlKey);
          const chosen = create.variables;
          const pending =
            create.isPending &&
            !!chosen &&
            "templateKey" in chosen &&
            chosen.templateKey === template.key;
          return (
            <li
              key={template.key}
              className={
                template.controlKey === suggested ? "template template-suggested" : "template"
              }
              data-template-key={template.key}
            >
              <div className="template-main">
                <h3 className="template-title">{template.title}</h3>
                {controlTitle(template.controlKey) !== template.title && (
                  <p className="template-meta">
                    For the control{" "}
                    <span className="template-control">{controlTitle(template.controlKey)}</span>
                  </p>
                )}
                <div className="template-badges">
                  <VisibilityBadge visibility={template.visibility} />
                  {template.placeholders.length > 0 && (
                    <Badge tone="warning">
                      {plural(template.placeholders.length, "placeholder")} to fill in
                    </Badge>
                  )}
                  {template.controlKey === suggested && <Badge tone="info">Suggested</Badge>}
                </div>
              </div>
              {existing ? (
                <div className="template-taken">
                  <button type="button" className="button button-secondary" disabled>
                    Use this template
                    <span className="visually-hidden">: {template.title}</span>
                  </button>
                  <p className="template-note">
                    This control already has a policy:{" "}
                    <Link to={`/policies/${existing.id}`}>{existing.title}</Link>
                  </p>
                </div>
              ) : (
                <button
                  type="button"
                  className="button button-primary"
                  disabled={create.isPending}
                  onClick={() => create.mutate({ templateKey: template.key })}
                >
                  {pending ? "Creating…" : "Use this template"}
                  <span className="visually-hidden">: {template.title}</span>
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}

function BlankPolicyForm({
  templates,
  live,
}: {
  templates: PolicyTemplate[];
  live: Map<string, PolicySummary>;
}) {
  const controls = useControls();
  const formRef = useRef<HTMLFormElement>(null);
  const [title, setTitle] = useState("");
  const [controlKey, setControlKey] = useState("");
  const [visibility, setVisibility] = useState<Visibility>("internal");
  const [body, setBody] = useState("");
  const create = useCreatePolicy();
  const errors = fieldErrorsOf(create.error);
  useFocusFirstInvalid(formRef, create.error);
  const free = [...new Set(templates.map((t) => t.controlKey))].filter((key) => !live.has(key));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({
      title: title.trim(),
      controlKey: controlKey || null,
      visibility,
      body: body || `# ${title.trim()}\n`,
    });
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={create.isPending}>
      <FormAlert error={create.error} />
      <TextField
        label="Title"
        name="title"
        required
        maxLength={200}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={errors.title}
      />
      <div className="field-row">
        <SelectField
          label="Control it proves"
          name="controlKey"
          value={controlKey}
          onChange={(e) => setControlKey(e.target.value)}
          hint="Only controls without a live policy are listed."
          error={errors.controlKey}
        >
          <option value="">None</option>
          {free.map((key) => (
            <option key={key} value={key}>
              {controls.data?.find((c) => c.key === key)?.title ?? key}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Visibility"
          name="visibility"
          value={visibility}
          onChange={(e) => setVisibility(e.target.value as Visibility)}
          error={errors.visibility}
        >
          <option value="internal">Internal: your organization only</option>
          <option value="public">Public: also on the trust center</option>
        </SelectField>
      </div>
      <TextAreaField
        label="Text (Markdown, optional)"
        name="body"
        rows={6}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        hint="You can write it after creating the policy, with a live preview."
        error={errors.body}
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create blank policy"}
        </button>
      </div>
    </form>
  );
}

export function NewPolicyPage() {
  const [params] = useSearchParams();
  const templates = useQuery({
    queryKey: keys.policyTemplates,
    queryFn: policiesApi.policyTemplates,
  });
  const policies = usePolicies();
  const live = new Map(
    (policies.data ?? [])
      .filter((p) => p.controlKey && !p.retiredAt)
      .map((p) => [p.controlKey as string, p]),
  );

  return (
    <>
      <Link className="back-link" to="/policies">
        <Icon name="arrowLeft" />
        All policies
      </Link>
      <PageHeader
        title="New policy"
        description="Start from a template written for its control, or from a blank page. Either way it starts as a draft."
      />
      {(templates.isPending || policies.isPending) && <PageLoading label="Loading templates" />}
      {templates.isError && (
        <LoadError error={templates.error} onRetry={() => templates.refetch()} />
      )}
      {policies.isError && <LoadError error={policies.error} onRetry={() => policies.refetch()} />}
      {templates.isSuccess && policies.isSuccess && (
        <>
          <section className="card section" aria-labelledby="templates-heading">
            <div className="section-header">
              <h2 id="templates-heading" className="section-title">
                Start from a template
              </h2>
              <p className="section-description">
                Your organization's name and the company profile (Settings → Organization) are
                written in. What is left, and the template's note, must go before it can be
                approved; approval writes the effective date.
              </p>
            </div>
            <TemplateList
              templates={templates.data}
              live={live}
              suggested={params.get("control")}
            />
          </section>
          <section className="card section" aria-labelledby="blank-heading">
            <h2 id="blank-heading" className="section-title">
              Or start blank
            </h2>
            <BlankPolicyForm templates={templates.data} live={live} />
          </section>
        </>
      )}
    </>
  );
}
