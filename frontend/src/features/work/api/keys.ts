/** The freelancer's side: the marketplace and their own contributions. */
export const workKeys = {
  marketplace: () => ["marketplace"] as const,
  contributions: () => ["contributions"] as const,
  mine: (pageSize: number) => [...workKeys.contributions(), "mine", { pageSize }] as const,
};
