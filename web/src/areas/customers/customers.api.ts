// Customers: the endpoints and their query hooks; every write reads customers and the
// controls again.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiRequest, BASE, get, patch, post, seg } from "../../ui/http";
import type { Page } from "../../ui/pager";
import type {
  Customer,
  CustomerChanges,
  CustomerSummary,
  ImportPreview,
  ImportResult,
  NewCustomer,
  NewDisposal,
} from "./customers.types";

const one = (id: string) => `/customers/${seg(id)}`;

export interface CustomersFilter {
  status: string;
  q: string;
}

export const customersApi = {
  customers: (filter: CustomersFilter, cursor?: string) =>
    get<Page<CustomerSummary>>("/customers", { ...filter, cursor, limit: 50 }),
  customer: (id: string) => get<Customer>(one(id)),
  create: (input: NewCustomer) => post<Customer>("/customers", input),
  update: (id: string, input: CustomerChanges) => patch<Customer>(one(id), input),
  recordDisposal: (id: string, input: NewDisposal) => post<Customer>(`${one(id)}/disposals`, input),
  attach: (id: string, disposalId: string, file: File) => {
    const form = new FormData();
    form.append("file", file);
    return apiRequest<Customer>("POST", `${one(id)}/disposals/${seg(disposalId)}/evidence`, form);
  },
  certificateUrl: (id: string) => `${BASE}${one(id)}/certificate.pdf`,
  preview: (csv: string) => post<ImportPreview>("/customer-imports/preview", { csv }),
  commit: (csv: string) => post<ImportResult>("/customer-imports", { csv }),
};

export const customerKeys = {
  all: ["customers"] as const,
  list: (filter: CustomersFilter) => ["customers", "list", filter] as const,
  one: (id: string) => ["customers", id] as const,
};

export function useCustomers(filter: CustomersFilter) {
  return useInfiniteQuery({
    queryKey: customerKeys.list(filter),
    queryFn: ({ pageParam }) => customersApi.customers(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: { nextCursor: string | null }) => last.nextCursor ?? undefined,
  });
}

export function useCustomer(id: string) {
  return useQuery({ queryKey: customerKeys.one(id), queryFn: () => customersApi.customer(id) });
}

export function useCustomerMutation<A, R>(write: (args: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: customerKeys.all });
      await client.invalidateQueries({ queryKey: ["controls"] });
      await client.invalidateQueries({ queryKey: ["dashboard"] });
    },
  });
}
