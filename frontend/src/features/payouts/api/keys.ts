export const payoutKeys = {
  all: ["payouts"] as const,
  overview: () => [...payoutKeys.all, "overview"] as const,
  lists: () => [...payoutKeys.all, "list"] as const,
  list: (filters: object) => [...payoutKeys.lists(), filters] as const,
  held: () => ["held-payout-methods"] as const,
};
