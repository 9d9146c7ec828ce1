// The panel's styles, scoped to its shadow root. `:host { all: initial }` keeps the page's inherited styles out.

const DARK = '--bg:#16191d;--fg:#e6e8eb;--mut:#a0a8b2;--line:#2e343b;--soft:#22272e;--acc:#5b9bff;--accfg:#0b0d10;--mine:#1d3357;--bad:#ff6b68;--badfg:#0b0d10;--warn:#3a3000;--warnfg:#ffe08a;';

export const CSS = `
:host{all:initial;display:block;
--bg:#fff;--fg:#1b1f24;--mut:#59616b;--line:#dde1e6;--soft:#f1f3f6;--acc:#1860d0;--accfg:#fff;--mine:#dde9ff;--bad:#c62828;--badfg:#fff;--warn:#fff3cd;--warnfg:#5c4400;--sh:0 10px 30px rgba(0,0,0,.2)}
@media (prefers-color-scheme:dark){:host(:not([theme=light])){${DARK}}}
:host([theme=dark]){${DARK}}
:host([mode=float]){position:fixed;right:calc(16px + var(--i,0) * 68px);bottom:16px;z-index:2147483000}
:host([mode=inline]){height:100%;min-height:420px}
*{box-sizing:border-box}
.win,.launcher{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);letter-spacing:normal;word-spacing:normal;text-transform:none;text-align:left;text-indent:0;white-space:normal;visibility:visible}
[hidden]{display:none!important}
button,input,select,textarea{font:inherit;color:inherit}
button{cursor:pointer}
:focus-visible{outline:2px solid var(--acc);outline-offset:1px}
svg{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
ul{list-style:none;margin:0;padding:0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher{width:56px;height:56px;border-radius:50%;border:0;background:var(--acc);color:var(--accfg);box-shadow:var(--sh);display:grid;place-items:center;position:relative}
.launcher svg{width:26px;height:26px}
.badge,.n{background:var(--bad);color:var(--badfg);border-radius:10px;min-width:20px;height:20px;padding:0 6px;font-size:12px;font-weight:700;display:inline-grid;place-items:center}
.launcher .badge{position:absolute;top:-4px;right:-4px}
.win{display:flex;flex-direction:column;background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:14px;overflow:hidden;container-type:inline-size;position:relative}
:host([mode=float]) .win{position:absolute;right:0;bottom:68px;width:380px;height:min(620px,calc(100vh - 100px));box-shadow:var(--sh)}
:host([mode=inline]) .win{width:100%;height:100%}
@media (max-width:480px){:host([mode=float]) .win{position:fixed;inset:0;width:auto;height:auto;border-radius:0;border:0}.win:not([hidden])+.launcher{display:none}}
header,.hd{display:flex;align-items:center;gap:6px;padding:8px 10px;border-bottom:1px solid var(--line);min-height:52px}
h2{font-size:16px;margin:0;flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
h2 small{display:block;font-size:12px;font-weight:400;color:var(--mut);overflow:hidden;text-overflow:ellipsis}
.ib{width:36px;height:36px;flex:none;border:0;border-radius:10px;background:none;color:var(--mut);display:inline-grid;place-items:center}
.ib:hover{background:var(--soft);color:var(--fg)}
.ib[aria-pressed=true]{color:var(--acc)}
.banner{padding:6px 12px;font-size:13px;background:var(--warn);color:var(--warnfg)}
.banner.err{background:var(--bad);color:var(--badfg)}
.body{flex:1;display:flex;min-height:0}
.list,.chat{flex:1;display:flex;flex-direction:column;min-width:0}
.win[data-view=chat] .list,.win:not([data-view=chat]) .chat{display:none}
@container (min-width:700px){.list{display:flex!important;flex:0 0 320px;border-right:1px solid var(--line)}.chat{display:flex!important}.back{display:none!important}}
.tools{display:flex;gap:6px;padding:8px}
input,select,textarea{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:6px 8px;min-width:0}
.tools input{flex:1}
.tools select{flex:0 1 40%}
.items{flex:1;overflow-y:auto}
.item{display:grid;grid-template-columns:40px 1fr auto;gap:2px 10px;width:100%;text-align:left;padding:10px 12px;border:0;border-bottom:1px solid var(--line);background:none}
.tags{grid-column:2/4;display:flex;gap:4px;margin-top:2px}
.item:hover,.item[aria-current=true]{background:var(--soft)}
.av{grid-row:1/4;align-self:start;width:40px;height:40px;border-radius:50%;background:var(--acc);color:var(--accfg);display:grid;place-items:center;font-weight:700}
.nm,.last{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;min-width:0}
.nm b{font-weight:600}
.nm span,.tm,.last{color:var(--mut);font-size:12.5px}
.snip{grid-column:2/4;font-size:12.5px;overflow-wrap:anywhere}
mark{background:var(--warn);color:var(--warnfg)}
.msg.hit{outline:3px solid var(--acc)}
.meta{display:flex;gap:4px;align-items:center;justify-content:flex-end}
.chip{font-size:11px;padding:1px 6px;border-radius:8px;background:var(--soft);border:1px solid var(--line);color:var(--mut);white-space:nowrap}
.chip.off{border-style:dashed}
.info{margin:0;padding:4px 12px;font-size:12px;color:var(--mut);border-bottom:1px solid var(--line);overflow-wrap:anywhere}
.info a{color:inherit}
.chip.s0{background:var(--acc);color:var(--accfg);border-color:transparent}
.center{flex:1;display:grid;place-content:center;justify-items:center;gap:12px;color:var(--mut);padding:24px;text-align:center}
.spin{width:28px;height:28px;border:3px solid var(--line);border-top-color:var(--acc);border-radius:50%;animation:sp 1s linear infinite}
@keyframes sp{to{transform:rotate(360deg)}}
@media (prefers-reduced-motion:reduce){.spin{animation-duration:4s}}
.ctl{display:flex;flex-wrap:wrap;gap:6px;padding:6px 10px;border-bottom:1px solid var(--line);align-items:center}
.ctl select{max-width:48%}
.btn{border:1px solid var(--acc);background:none;color:var(--acc);border-radius:8px;padding:5px 10px}
.log{flex:1;overflow-y:auto;padding:12px}
.msgs{display:flex;flex-direction:column;gap:6px}
.msg{max-width:82%;padding:7px 10px;border-radius:12px;background:var(--soft);align-self:flex-start;white-space:pre-wrap;overflow-wrap:anywhere}
.msg.me{align-self:flex-end;background:var(--mine)}
.msg.sys{align-self:center;background:none;color:var(--mut);font-size:12.5px;text-align:center}
.msg img{display:block;max-width:100%;height:auto;max-height:240px;border-radius:8px;margin-bottom:4px}
.msg a{color:var(--acc);display:inline-flex;gap:4px;align-items:center}
.msg small{display:block;text-align:right;color:var(--mut);font-size:11px;margin-top:2px}
.msg i{display:block;font-style:normal;font-size:11px;color:var(--mut)}
.msg.fail{outline:1px solid var(--bad)}
.msg.fail small,.err-t{color:var(--bad)}
.typing{padding:0 12px 4px;font-size:12px;color:var(--mut);min-height:18px}
form{display:flex;gap:6px;align-items:flex-end;padding:8px;border-top:1px solid var(--line)}
textarea{flex:1;resize:none;height:40px;max-height:120px;border-radius:10px;padding:9px 10px}
form button[type=submit]{background:var(--acc);color:var(--accfg)}
form button[type=submit]:hover{background:var(--acc);opacity:.9}
.atts{display:flex;flex-wrap:wrap;gap:4px;padding:6px 8px 0}
.atts button{border:0;background:none;padding:0 2px;color:var(--mut)}
.drop{outline:2px dashed var(--acc);outline-offset:-6px}
.msg.note{align-self:stretch;max-width:none;background:var(--warn);color:var(--warnfg);border:1px dashed}
.msg.note i,.msg.note small{color:inherit}
.msg.note i{font-weight:600}
form.note{background:var(--warn)}
form.note textarea{border-style:dashed}
.pick{max-height:180px;overflow-y:auto;border-top:1px solid var(--line)}
.pick li{padding:6px 10px;cursor:pointer;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.pick li[aria-selected=true]{background:var(--soft)}
.pick b{color:var(--acc)}
`;
