// Edit a customer's terms in a dialog: the new customer's fields, prefilled; only what changed
// is sent (each change is dated in the customer's history).
import { useRef, useState } from "react";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { CustomerTermsFields, changesOf, termsOf } from "./CustomerTermsFields";
import { customersApi, useCustomerMutation } from "./customers.api";
import type { Customer } from "./customers.types";

export function EditTermsDialog({
  customer,
  onClose,
}: {
  customer: Customer;
  onClose: () => void;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [before] = useState(() => termsOf(customer));
  const [values, setValues] = useState(before);
  const save = useCustomerMutation(async () => {
    const changes = changesOf(before, values);
    if (Object.keys(changes).length > 0) await customersApi.update(customer.id, changes);
  });
  const errors = fieldErrorsOf(save.error);
  useFocusFirstInvalid(formRef, save.error);
  return (
    <Modal open title={`Edit the terms of ${customer.name}`} onClose={onClose}>
      <form
        ref={formRef}
        className="form"
        aria-busy={save.isPending}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(undefined, { onSuccess: onClose });
        }}
      >
        <div className="modal-body">
          <FormAlert error={save.error} />
          <CustomerTermsFields values={values} onChange={setValues} errors={errors} />
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save the terms"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
