import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { workKeys } from "./keys";

export const myContributionsQueryOptions = (pageSize: number) =>
  apiQuery(workKeys.mine(pageSize), (signal) => client.GET("/api/v1/contributions", { params: { query: { page_size: pageSize } }, signal }));

export const useMyContributions = (pageSize: number) => useQuery(myContributionsQueryOptions(pageSize));
