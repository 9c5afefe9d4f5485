import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { profileKeys } from "./keys";

export const profileQueryOptions = () => apiQuery(profileKeys.profile(), (signal) => client.GET("/api/v1/me/profile", { signal }));

export const useProfile = () => useQuery(profileQueryOptions());
