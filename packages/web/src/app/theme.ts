/**
 * @module
 * Dark mode following the system: PatternFly's `pf-v6-theme-dark` class on `<html>`.
 */

/** Applies the system colour scheme now and on every change. */
export function followSystemTheme(win: Window): void {
  const mq = win.matchMedia('(prefers-color-scheme: dark)');
  const apply = () => win.document.documentElement.classList.toggle('pf-v6-theme-dark', mq.matches);
  apply();
  mq.addEventListener('change', apply);
}
