/**
 * A Graph calendar's colour as calhub holds it (`#rrggbb` or null). Graph's `hexColor` is set only
 * when the user explicitly picked a colour, and is otherwise empty (resources/calendar.md); its
 * `color` names a theme (calendarColor: auto, lightBlue, …, maxColor) whose shades Microsoft does
 * not publish. A calendar recoloured through the theme alone kept `color: null` in calhub, so the
 * theme maps to a fixed shade: the CSS Color 4 named colour of the same name where one exists
 * (lightblue, lightgreen, lightgray, lightyellow, lightpink), else the nearest named light shade
 * (lightsalmon for orange, mediumturquoise for teal, burlywood for brown, lightcoral for red).
 * `auto` (the client chooses) and `maxColor` (the enum's end marker, no colour) are null.
 */
const THEME: Record<string, string> = {
  lightBlue: '#add8e6',
  lightGreen: '#90ee90',
  lightOrange: '#ffa07a',
  lightGray: '#d3d3d3',
  lightYellow: '#ffffe0',
  lightTeal: '#48d1cc',
  lightPink: '#ffb6c1',
  lightBrown: '#deb887',
  lightRed: '#f08080',
};

export function calendarColorOf(c: { color?: string | null; hexColor?: string | null }): string | null {
  if (c.hexColor) return c.hexColor;
  return (c.color && Object.hasOwn(THEME, c.color) ? THEME[c.color] : undefined) ?? null;
}
