import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { workKeys } from "./keys";

export const MARKETPLACE_PAGE_SIZE = 50;

/** Published projects the freelancer qualifies for (`onboarding_incomplete` until their profile is complete). */
export function getMarketplace(signal?: AbortSignal) {
  return data(client.GET("/api/v1/marketplace", { params: { query: { page_size: MARKETPLACE_PAGE_SIZE } }, signal }));
}

export const marketplaceQueryOptions = () => queryOptions({ queryKey: workKeys.marketplace(), queryFn: ({ signal }) => getMarketplace(signal) });

export function useMarketplace() {
  return useQuery(marketplaceQueryOptions());
}
