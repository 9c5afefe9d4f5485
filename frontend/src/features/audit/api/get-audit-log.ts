import { client } from "../../../api/client";
import { apiQuery, usePageQuery } from "../../../api/query";
import type { operations } from "../../../api/schema";

export type AuditKind = NonNullable<NonNullable<operations["api_v1_audit_list"]["parameters"]["query"]>["kind"]>;
const AUDIT_KINDS: readonly AuditKind[] = ["consent", "contribution", "dataset", "gold", "payout", "portfolio", "project", "token", "webhook"];

/** A kind from the address bar, or null for every kind (an unknown one too). */
export function auditKind(value: string): AuditKind | null {
  return AUDIT_KINDS.find((k) => k === value) ?? null;
}

export type AuditFilters = { page: number; pageSize: number; kind: AuditKind | null; actor: number | null };

export const auditKeys = {
  all: ["audit"] as const,
  list: (filters: AuditFilters) => [...auditKeys.all, filters] as const,
};

function auditQuery({ page, pageSize, kind, actor }: AuditFilters) {
  return { page, page_size: pageSize, ...(kind ? { kind } : {}), ...(actor !== null ? { actor } : {}) };
}

export const auditLogQueryOptions = (filters: AuditFilters) =>
  apiQuery(auditKeys.list(filters), (signal) => client.GET("/api/v1/audit", { params: { query: auditQuery(filters) }, signal }));

export const useAuditLog = (filters: AuditFilters) => usePageQuery(auditLogQueryOptions(filters));
