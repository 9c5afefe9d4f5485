export const organizationKeys = {
  organization: () => ["organization"] as const,
  members: () => [...organizationKeys.organization(), "members"] as const,
  memberPage: (page: number, pageSize: number) => [...organizationKeys.members(), { page, pageSize }] as const,
  invitations: () => [...organizationKeys.organization(), "invitations"] as const,
  invitationPage: (page: number, pageSize: number) => [...organizationKeys.invitations(), { page, pageSize }] as const,
};
