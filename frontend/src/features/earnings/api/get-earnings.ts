import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { earningsKeys } from "./keys";

/** Balance, pending and paid out, per currency. */
export const earningsQueryOptions = () => apiQuery(earningsKeys.summary(), (signal) => client.GET("/api/v1/me/earnings", { signal }));

export const useEarnings = () => useQuery(earningsQueryOptions());
