import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";

/** The platform's rules a form checks against: the minimum hourly rate per currency, and the like. */
export const platformQueryOptions = () => apiQuery(["platform"], (signal) => client.GET("/api/v1/platform", { signal }));

export const usePlatform = () => useQuery(platformQueryOptions());
