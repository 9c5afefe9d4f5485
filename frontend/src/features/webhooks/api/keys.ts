export const webhookKeys = {
  all: ["webhooks"] as const,
  list: (page: number) => [...webhookKeys.all, "list", { page }] as const,
  deliveries: (endpointId: number, page: number) => [...webhookKeys.all, endpointId, "deliveries", { page }] as const,
};
