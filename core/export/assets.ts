/**
 * The static assets of a schedule site, embedded in the binary: one stylesheet (light and dark, phone
 * to projector), one small script (the now/next highlight; everything works without it), and the
 * per-event stylesheet made from the event's primary colour.
 */
import { linkColours } from './colour.ts';
const DEFAULT_PRIMARY = '#3aa57c';
const defaultLinks = linkColours(DEFAULT_PRIMARY);

export const STYLESHEET = `:root{--primary:${DEFAULT_PRIMARY};--link:${defaultLinks.light};--bg:#fff;--fg:#1c1c1e;--muted:#5f6368;--card:#f4f5f7;--line:#dcdfe4;--focus:#1a73e8;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--link:${defaultLinks.dark};--bg:#121316;--fg:#ececf0;--muted:#a3a7b0;--card:#1d1f24;--line:#33363d;--focus:#8ab4f8}}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;line-height:1.5;background:var(--bg);color:var(--fg)}
body{margin:0}
a{color:var(--link)}a:focus-visible,button:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem 1rem}.skip:focus{left:0;z-index:10}
header.site{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;padding:.75rem 1.25rem;border-bottom:4px solid var(--primary)}
header.site .brand{font-weight:700;font-size:1.25rem;color:var(--fg);text-decoration:none}
header.site nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem}
main{max-width:80rem;margin:0 auto;padding:1rem 1.25rem 3rem}
footer.site{border-top:1px solid var(--line);padding:1rem 1.25rem;color:var(--muted);font-size:.9rem}
h1{line-height:1.2}
.muted{color:var(--muted)}
.notice{background:var(--card);border-left:4px solid var(--primary);padding:.75rem 1rem}
.tabs{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
.tabs a{padding:.25rem .75rem;border:1px solid var(--line);border-radius:999px;text-decoration:none}.tabs a[aria-current]{background:var(--link);border-color:var(--link);color:var(--bg);font-weight:600}
.day{margin:2rem 0}
.grid{display:grid;gap:2px;overflow:auto;max-height:85vh;grid-auto-rows:.6rem;align-items:stretch}
.grid .room-head{position:sticky;top:0;z-index:2;background:var(--bg);font-weight:600;padding:.25rem .5rem;border-bottom:2px solid var(--line);grid-row:1;height:auto}
.grid .time{position:sticky;left:0;z-index:1;background:var(--bg);color:var(--muted);font-size:.8rem;border-top:1px solid var(--line);padding-right:.5rem}
.slot{display:block;position:relative;background:var(--card);border-left:4px solid var(--track,var(--primary));border-radius:4px;padding:.25rem .5rem;overflow:hidden;text-decoration:none;color:var(--fg);font-size:.9rem;min-height:2.5rem}
.slot:hover,.slot:focus{filter:brightness(.95)}
.grid .slot:hover,.grid .slot:focus{z-index:3;align-self:start;height:max-content;min-height:100%;overflow:visible;box-shadow:0 2px 10px rgba(0,0,0,.35)}
details.filter{margin:.5rem 0}details.filter summary{cursor:pointer;font-weight:600}details.filter p{display:flex;flex-wrap:wrap;gap:.25rem 1rem}details.filter input{width:auto}
nav.days{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}nav.days a{padding:.2rem .6rem;border:1px solid var(--line);border-radius:999px;text-decoration:none;background:var(--bg);white-space:nowrap}nav.days a.jump-now{border-color:var(--link);font-weight:600}
.day,.slot{scroll-margin-top:4rem}.grid .slot{scroll-margin-left:5rem}
main:has(.grid){max-width:none}
.slot .title{font-weight:600;display:block}.slot .who{color:var(--muted);font-size:.85rem}.slot .where{display:none}
.slot.now{outline:3px solid var(--link)}.slot.next{outline:2px dashed var(--link)}
.badge{display:none;position:absolute;top:.15rem;right:.25rem;font-size:.65rem;font-weight:700;line-height:1.2;text-transform:uppercase;color:var(--bg);background:var(--link);padding:0 .3rem;border-radius:3px}.slot.now .badge.now,.slot.next .badge.next{display:inline}
ol.list{list-style:none;padding:0}ol.list li{border-top:1px solid var(--line);padding:.5rem 0;display:grid;grid-template-columns:7rem 1fr;gap:1rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dl.facts dt{color:var(--muted)}
.speakers{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem;list-style:none;padding:0}
.speakers li{background:var(--card);padding:.75rem;border-radius:6px}
.avatar{width:8rem;height:8rem;object-fit:cover;border-radius:50%}
.prose{max-width:48rem}
input,button{font:inherit}input{padding:.4rem .5rem;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg);width:min(100%,24rem)}
button{padding:.4rem 1rem;border:0;border-radius:4px;background:var(--link);color:var(--bg);cursor:pointer}
ul.events{list-style:none;padding:0}ul.events li{padding:.5rem 0;border-top:1px solid var(--line)}
@media (max-width:40rem){nav.days{position:sticky;top:0;z-index:4;background:var(--bg);padding:.4rem 0;margin:0;flex-wrap:nowrap;overflow-x:auto}.grid{display:block;max-height:none;overflow:visible}.slot .where{display:inline}.grid .time,.grid .room-head{display:none}.grid .slot{margin:.5rem 0}ol.list li{grid-template-columns:1fr}}
@media print{header.site nav,.tabs,footer.site{display:none}.slot{break-inside:avoid}}
`;

export const SCRIPT = `(function(){
  var now=Date.now(), slots=document.querySelectorAll('.slot[data-start]'), next={};
  slots.forEach(function(el){
    var start=Date.parse(el.dataset.start), end=Date.parse(el.dataset.end), room=el.dataset.room;
    if(start<=now&&now<end){el.classList.add('now');}
    else if(start>now&&(!next[room]||start<next[room].start)){next[room]={start:start,el:el};}
  });
  Object.keys(next).forEach(function(room){next[room].el.classList.add('next');});
  // The "Now" link: to the earliest talk running now, else the earliest one coming next.
  var target=document.querySelector('.slot.now')||Object.keys(next).map(function(r){return next[r];}).sort(function(a,b){return a.start-b.start;}).map(function(n){return n.el;})[0];
  var jump=document.querySelector('a.jump-now');
  if(target&&jump){target.id='now';jump.hidden=false;}
})();
`;

/** The event's colour as a stylesheet; events without one use the default theme. */
/**
 * An event's primary colour, and the link colour derived from it for each mode (readable on every
 * background, whatever the colour: #eaedae on white gives a dark olive, not invisible text).
 */
export function eventStylesheet(color: string | null): string {
  if (!color || !/^#[0-9a-fA-F]{6}$/.test(color)) return '/* default theme */\n';
  const primary = color.toLowerCase();
  const links = linkColours(primary);
  return `:root{--primary:${primary};--link:${links.light}}\n@media (prefers-color-scheme:dark){:root{--link:${links.dark}}}\n`;
}
