export const profileKeys = {
  profile: () => ["me", "profile"] as const,
  consent: () => ["me", "consent"] as const,
};
