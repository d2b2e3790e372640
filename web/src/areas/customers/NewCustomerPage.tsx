// Add one customer by hand (the CSV import adds many): its terms, then its page.
import { type FormEvent, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { PageHeader } from "../../ui/PageHeader";
import { CustomerTermsFields, EMPTY_TERMS, newCustomerOf } from "./CustomerTermsFields";
import { customersApi, useCustomerMutation } from "./customers.api";

export function NewCustomerPage() {
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(EMPTY_TERMS);
  const create = useCustomerMutation(() => customersApi.create(newCustomerOf(values)));
  const errors = fieldErrorsOf(create.error);
  useFocusFirstInvalid(formRef, create.error);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const created = await create.mutateAsync(undefined).catch(() => null);
    if (created) navigate(`/customers/${created.id}`);
  }
  return (
    <>
      <PageHeader
        eyebrow={<Link to="/customers">Customers</Link>}
        title="New customer"
        description="A customer's contract, the retention of its data agreed with it (or the organization's default), and the data stores holding it."
      />
      <form
        ref={formRef}
        className="form card section"
        aria-label="New customer"
        onSubmit={onSubmit}
        aria-busy={create.isPending}
      >
        <FormAlert error={create.error} />
        <CustomerTermsFields values={values} onChange={setValues} errors={errors} />
        <div className="form-actions">
          <Link className="button button-secondary" to="/customers">
            Cancel
          </Link>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? "Saving…" : "Add the customer"}
          </button>
        </div>
      </form>
    </>
  );
}
