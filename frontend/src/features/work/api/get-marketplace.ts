import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { workKeys } from "./keys";

export const MARKETPLACE_PAGE_SIZE = 50;

/** Published projects the freelancer qualifies for (`onboarding_incomplete` until their profile is complete). */
export const marketplaceQueryOptions = () =>
  apiQuery(workKeys.marketplace(), (signal) => client.GET("/api/v1/marketplace", { params: { query: { page_size: MARKETPLACE_PAGE_SIZE } }, signal }));

export const useMarketplace = () => useQuery(marketplaceQueryOptions());
