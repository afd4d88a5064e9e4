/**
 * @module
 * A small SVG donut of job host counts with a legend (no chart library).
 */

/** One slice of the donut. */
export interface DonutSlice {
  label: string;
  value: number;
  color: string;
}

/** Donut with the total in the middle and a legend of counts. */
export function StatusDonut({ slices, title }: { slices: DonutSlice[]; title: string }) {
  const total = slices.reduce((n, s) => n + s.value, 0);
  const r = 15.9155;
  let offset = 25;
  return (
    <figure className="remex-donut" style={{ display: 'flex', alignItems: 'center', gap: 24, margin: 0 }}>
      <svg viewBox="0 0 42 42" width={160} height={160} role="img" aria-label={`${title}: ${slices.map((s) => `${s.value} ${s.label}`).join(', ')}`}>
        <circle cx="21" cy="21" r={r} fill="transparent" stroke="var(--pf-t--global--border--color--default, #d2d2d2)" strokeWidth="5" />
        {slices
          .filter((s) => s.value > 0)
          .map((s) => {
            const pct = (s.value / total) * 100;
            const el = <circle key={s.label} cx="21" cy="21" r={r} fill="transparent" stroke={s.color} strokeWidth="5" strokeDasharray={`${pct} ${100 - pct}`} strokeDashoffset={offset} />;
            offset -= pct;
            return el;
          })}
        <text x="21" y="22" textAnchor="middle" dominantBaseline="middle" fontSize="7" fill="currentColor">
          {total}
        </text>
      </svg>
      <figcaption>
        <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label={`${title} legend`}>
          {slices.map((s) => (
            <li key={s.label} data-slice={s.label}>
              <span aria-hidden style={{ display: 'inline-block', width: 10, height: 10, background: s.color, marginRight: 6 }} />
              {s.label}: <strong>{s.value}</strong>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
