import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { client, data } from "../../../api/client";

export const portfolioKeys = {
  mine: () => ["me", "portfolio"] as const,
  public: (token: string) => ["portfolios", token] as const,
};

/** The freelancer's own portfolio: accepted work, the datasets holding it, the public link. */
export function getMyPortfolio(signal?: AbortSignal) {
  return data(client.GET("/api/v1/me/portfolio", { signal }));
}

export const myPortfolioQueryOptions = () => queryOptions({ queryKey: portfolioKeys.mine(), queryFn: ({ signal }) => getMyPortfolio(signal) });

export function useMyPortfolio() {
  return useQuery(myPortfolioQueryOptions());
}

/** A portfolio behind its public link (anonymous). */
export function getPublicPortfolio(token: string, signal?: AbortSignal) {
  return data(client.GET("/api/v1/portfolios/{token}", { params: { path: { token } }, signal }));
}

export const publicPortfolioQueryOptions = (token: string) =>
  queryOptions({ queryKey: portfolioKeys.public(token), queryFn: ({ signal }) => getPublicPortfolio(token, signal) });

export function usePublicPortfolio(token: string) {
  return useQuery(publicPortfolioQueryOptions(token));
}

export type PortfolioChange = { public: boolean } | { datasetId: number; creditName: string | null };

/** Make the link public or private, or set the name a dataset's card credits: the answer is the whole portfolio. */
export function changePortfolio(change: PortfolioChange) {
  if ("public" in change) return data(client.POST("/api/v1/me/portfolio/public", { body: { public: change.public } }));
  return data(client.PUT("/api/v1/me/credits/{dataset_id}", { params: { path: { dataset_id: change.datasetId } }, body: { name: change.creditName } }));
}

export function useChangePortfolio() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: changePortfolio, onSuccess: (portfolio) => queryClient.setQueryData(portfolioKeys.mine(), portfolio) });
}
