import { EmptyState, PageHeader } from "../components/ui";

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
