import { WidgetKeysSection } from '../components/widget/WidgetKeysSection';

/** The embeddable web widget: its keys. Admin only. */
export function WidgetPage() {
  return (
    <div className="stack">
      <WidgetKeysSection />
    </div>
  );
}
