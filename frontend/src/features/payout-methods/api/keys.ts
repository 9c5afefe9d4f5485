export const payoutMethodKeys = {
  all: ["me", "payout-methods"] as const,
  list: () => [...payoutMethodKeys.all, "list"] as const,
  rails: () => [...payoutMethodKeys.all, "rails"] as const,
};
