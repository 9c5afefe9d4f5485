/** A contribution is read under `["contributions", id]`, the key the freelancer's side uses for its lists too. */
export const reviewKeys = {
  queue: () => ["review-queue"] as const,
  contribution: (contributionId: number) => ["contributions", contributionId] as const,
};
