import { useQuery } from "@tanstack/react-query";
import { client } from "../../../api/client";
import { apiQuery } from "../../../api/query";
import { earningsKeys } from "./keys";

/** The freelancer's latest payouts. */
export const myPayoutsQueryOptions = (pageSize: number) =>
  apiQuery(earningsKeys.payouts(pageSize), (signal) => client.GET("/api/v1/me/payouts", { params: { query: { page_size: pageSize } }, signal }));

export const useMyPayouts = (pageSize: number) => useQuery(myPayoutsQueryOptions(pageSize));
