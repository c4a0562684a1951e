// What a place's popup and tooltips say, in the chosen language. Built as
// DOM nodes with text content: a crossing point is free text and is never
// read as HTML.
import { t, v, fmtDay } from '$lib/i18n/index.svelte';
import type { LegProps, PlaceProps } from './routes';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** "KZ-2026-31, place 2". */
export function placeLabel(p: PlaceProps): string {
  return t('map.place', { case: p.reference, n: String(p.sequence) });
}

/** "transit · 14 Sep 2026 · UZ → KZ". */
export function legLabel(p: LegProps): string {
  const parts = [v('event_kind', p.stage), p.date ? fmtDay(p.date) : t('map.date_unknown')];
  if (p.from_country || p.to_country) parts.push(`${p.from_country ?? '?'} → ${p.to_country ?? '?'}`);
  if (p.crosses_border) parts.push(p.border_point ? t('timeline.crossed_at', { point: p.border_point }) : t('timeline.crossed'));
  if (p.transport) parts.push(v('transport', p.transport));
  return parts.join(' · ');
}

/** A place's popup: its stage, date, country, crossing and transport, and
 *  a button to the case's timeline. */
export function placePopup(p: PlaceProps, openTimeline: (caseId: string) => void): HTMLElement {
  const box = el('div', undefined, 'map-popup');
  box.dataset.testid = 'map-popup';
  box.append(el('strong', placeLabel(p)));
  const dl = el('dl');
  const row = (term: string, value: string) => dl.append(el('dt', term), el('dd', value));
  row(t('timeline.kind'), v('event_kind', p.stage));
  row(t('timeline.date'), p.date ? fmtDay(p.date) : t('map.date_unknown'));
  row(t('map.country'), p.country ?? '—');
  if (p.crosses_border) {
    row(t('map.legend_crossing'), p.border_point ?? t('timeline.crossed'));
  }
  if (p.transport) row(t('timeline.transport'), v('transport', p.transport));
  box.append(dl);
  const open = el('button', t('map.open_timeline'), 'secondary');
  open.type = 'button';
  open.dataset.testid = 'map-open-timeline';
  open.addEventListener('click', () => openTimeline(p.case_id));
  box.append(open);
  return box;
}
