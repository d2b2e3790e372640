// The encryption area's API and query hooks: the key registry and its rotations, encryption at
// rest per data store and its confirmations.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { get, patch, post, seg } from "../../ui/http";
import type { Answer, ItemOf, RequestBody } from "../../ui/schema";

export type EncryptionKey = Answer<"/api/v1/encryption/keys/{id}">;
export type Rotation = ItemOf<"/api/v1/encryption/keys/{id}/rotations">;
export type DataStore = ItemOf<"/api/v1/encryption/stores">;
export type DataStoreDetail = Answer<"/api/v1/encryption/stores/{id}">;
export type Confirmation = DataStoreDetail["history"][number];
export type NewKey = RequestBody<"/api/v1/encryption/keys", "post">;
export type KeyChanges = RequestBody<"/api/v1/encryption/keys/{id}", "patch">;
export type NewRotation = RequestBody<"/api/v1/encryption/keys/{id}/rotations", "post">;
export type NewConfirmation = RequestBody<"/api/v1/encryption/stores/{id}/confirmations", "post">;
export type Standing = EncryptionKey["standing"];

export const encryptionKeys = {
  all: ["encryption"] as const,
  keys: ["encryption", "keys"] as const,
  key: (id: string) => ["encryption", "key", id] as const,
  rotations: (id: string) => ["encryption", "rotations", id] as const,
  stores: ["encryption", "stores"] as const,
  store: (id: string) => ["encryption", "store", id] as const,
};

export const encryptionApi = {
  keys: () => get<{ items: EncryptionKey[] }>("/encryption/keys"),
  key: (id: string) => get<EncryptionKey>(`/encryption/keys/${seg(id)}`),
  rotations: (id: string) => get<{ items: Rotation[] }>(`/encryption/keys/${seg(id)}/rotations`),
  register: (input: NewKey) => post<EncryptionKey>("/encryption/keys", input),
  change: (id: string, changes: KeyChanges) =>
    patch<EncryptionKey>(`/encryption/keys/${seg(id)}`, changes),
  archive: (id: string) => post<EncryptionKey>(`/encryption/keys/${seg(id)}/archive`),
  rotate: (id: string, input: NewRotation) =>
    post<Rotation>(`/encryption/keys/${seg(id)}/rotations`, input),
  stores: () => get<{ items: DataStore[] }>("/encryption/stores"),
  store: (id: string) => get<DataStoreDetail>(`/encryption/stores/${seg(id)}`),
  confirm: (id: string, input: NewConfirmation) =>
    post<Confirmation>(`/encryption/stores/${seg(id)}/confirmations`, input),
  /** Files a document as evidence of encryption-at-rest; answers its id. */
  uploadEvidence: (form: FormData) => post<{ id: string }>("/evidence", form),
};

export function useEncryptionKeys() {
  return useQuery({ queryKey: encryptionKeys.keys, queryFn: encryptionApi.keys });
}

export function useEncryptionKey(id: string) {
  return useQuery({ queryKey: encryptionKeys.key(id), queryFn: () => encryptionApi.key(id) });
}

export function useRotations(id: string) {
  return useQuery({
    queryKey: encryptionKeys.rotations(id),
    queryFn: () => encryptionApi.rotations(id),
  });
}

export function useDataStores() {
  return useQuery({ queryKey: encryptionKeys.stores, queryFn: encryptionApi.stores });
}

export function useDataStore(id: string) {
  return useQuery({ queryKey: encryptionKeys.store(id), queryFn: () => encryptionApi.store(id) });
}

/** A write: the area's reads, the controls and the evidence refetch after it. */
export function useEncryptionMutation<V, R>(
  run: (variables: V) => Promise<R>,
  onDone?: (result: R) => void,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: encryptionKeys.all });
      void client.invalidateQueries({ queryKey: ["controls"] });
      void client.invalidateQueries({ queryKey: ["evidence"] });
      onDone?.(result);
    },
  });
}
