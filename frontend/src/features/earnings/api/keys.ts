export const earningsKeys = {
  all: ["earnings"] as const,
  summary: () => [...earningsKeys.all, "summary"] as const,
  history: (page: number) => [...earningsKeys.all, "history", { page }] as const,
  payouts: (pageSize: number) => [...earningsKeys.all, "payouts", { pageSize }] as const,
};
