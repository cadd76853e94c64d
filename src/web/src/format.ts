const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(iso: string | null): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** The first block of a UUID: enough to tell sessions apart at a glance. */
export function shortId(id: string): string {
  return id.split('-')[0] ?? id;
}
