import { useQuery } from "@tanstack/react-query";
import { client, data } from "../../../api/client";
import { apiQuery, useReplacingMutation } from "../../../api/query";

export const portfolioKeys = {
  mine: () => ["me", "portfolio"] as const,
  public: (token: string) => ["portfolios", token] as const,
};

/** The freelancer's own portfolio: accepted work, the datasets holding it, the public link. */
export const myPortfolioQueryOptions = () => apiQuery(portfolioKeys.mine(), (signal) => client.GET("/api/v1/me/portfolio", { signal }));

export const useMyPortfolio = () => useQuery(myPortfolioQueryOptions());

/** A portfolio behind its public link (anonymous). */
export const publicPortfolioQueryOptions = (token: string) =>
  apiQuery(portfolioKeys.public(token), (signal) => client.GET("/api/v1/portfolios/{token}", { params: { path: { token } }, signal }));

export const usePublicPortfolio = (token: string) => useQuery(publicPortfolioQueryOptions(token));

export type PortfolioChange = { public: boolean } | { datasetId: number; creditName: string | null };

/** Make the link public or private, or set the name a dataset's card credits: the answer is the whole portfolio. */
export function changePortfolio(change: PortfolioChange) {
  if ("public" in change) return data(client.POST("/api/v1/me/portfolio/public", { body: { public: change.public } }));
  return data(client.PUT("/api/v1/me/credits/{dataset_id}", { params: { path: { dataset_id: change.datasetId } }, body: { name: change.creditName } }));
}

export const useChangePortfolio = () => useReplacingMutation(changePortfolio, portfolioKeys.mine());
