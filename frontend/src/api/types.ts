/** Names for the API's shapes, generated from the OpenAPI schema (`make schema`) so they cannot drift. */
import type { components } from "./schema";

type S = components["schemas"];
export type User = S["UserOutput"];
export type Project = S["ProjectOutput"];
export type ProjectInput = S["ProjectInputRequest"];
export type Item = S["ItemOutput"];
export type MediaFile = S["MediaFileOutput"];
export type Money = S["Money"];
export type Token = S["TokenOutput"];
export type CreatedToken = S["CreatedTokenOutput"];
export type Profile = S["ProfileOutput"];
export type Progress = S["ProjectProgress"];
export type UploadTicket = S["UploadTicket"];
export type Paginated<T> = { count: number; next?: string | null; previous?: string | null; results: T[] };
export type Platform = S["Platform"];
export type ImportInfo = S["ImportInfo"];
export type ImportResult = S["ImportResult"];
export type Activity = S["ActivityOutput"];
export type MarketplaceProject = S["MarketplaceProject"];
export type Contribution = S["ContributionOutput"];
export type ContributionSummary = S["ContributionSummary"];
export type Draft = S["DraftOutput"];
export type QueueItem = S["QueueItem"];
export type Earnings = S["Earnings"];
export type EarningLine = S["EarningLine"];
export type Payout = S["PayoutOutput"];
export type PayoutOverview = S["PayoutOverview"];
