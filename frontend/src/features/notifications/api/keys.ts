export const notificationKeys = {
  all: ["notifications"] as const,
  list: (filters: { page: number; pageSize: number; unread: boolean }) => [...notificationKeys.all, "list", filters] as const,
  unreadCount: () => [...notificationKeys.all, "unread-count"] as const,
  preferences: () => ["notification-preferences"] as const,
};
