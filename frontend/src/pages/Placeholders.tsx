import { EmptyState, PageHeader } from "../components/ui";

export function PayoutsPage() {
  return (
    <>
      <PageHeader title="Payouts" subtitle="Funding, spend, and payouts by state." />
      <EmptyState title="No payouts yet" icon="◈">
        Payouts are gathered from approved work and sent through the payout provider; each appears here with its state.
      </EmptyState>
    </>
  );
}

export function DatasetsPage() {
  return (
    <>
      <PageHeader title="Datasets" subtitle="Versions of approved work, exported as training data with its process." />
      <EmptyState title="No datasets yet" icon="⬡">
        Build a dataset version from approved contributions; its shards, data card and export links will be listed here.
      </EmptyState>
    </>
  );
}
