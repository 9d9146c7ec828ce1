// The launcher's styles (in the first bundle) and the chat window's (loaded with ui.ts), scoped to the shadow root.
// `:host{all:initial}` keeps the page's inherited styles out; every custom property used is set on :host, so the
// page's own variables of the same name cannot reach in. The host is fixed: it never moves the page's layout.

export const CORE_CSS = `
:host{all:initial;position:fixed;bottom:20px;right:20px;z-index:2147483000;display:block;
--bg:#fff;--fg:#1b1f24;--mut:#59616b;--line:#d5dae0;--soft:#f1f3f6;--bad:#c62828;--badfg:#fff;--sh:0 8px 28px #0004}
:host([position=left]){right:auto;left:20px}
@media (prefers-color-scheme:dark){:host{--bg:#16191d;--fg:#e6e8eb;--mut:#a0a8b2;--line:#3a414a;--soft:#262b33;--bad:#ff6b68;--badfg:#000;--sh:0 8px 28px #000a}}
*{box-sizing:border-box}
[hidden]{display:none!important}
.l,.b,.win{font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg)}
button,input,textarea{font:inherit;color:inherit}
button{cursor:pointer;border:0;background:none;padding:0}
:focus-visible{outline:2px solid var(--fg);outline-offset:2px}
svg{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.l,.av{border-radius:50%;background:var(--acc);color:var(--accfg);display:grid;place-items:center}
.l{width:56px;height:56px;box-shadow:var(--sh);position:relative}
.l svg{width:26px;height:26px}
.badge{position:absolute;top:-4px;right:-4px;background:var(--bad);color:var(--badfg);border-radius:10px;min-width:20px;height:20px;padding:0 6px;font:700 12px/20px sans-serif}
.b,.win{position:absolute;bottom:70px;right:0;background:var(--bg);border:1px solid var(--line);box-shadow:var(--sh)}
.b{width:max-content;max-width:min(280px,calc(100vw - 40px));border-radius:14px;padding:10px 36px 10px 14px}
.b p{margin:0;cursor:pointer;overflow-wrap:anywhere}
.x{position:absolute;top:4px;right:4px;width:28px;height:28px;color:var(--mut);display:grid;place-items:center}
:host([position=left]) .b,:host([position=left]) .win{right:auto;left:0}
`;

export const WIN_CSS = `
.win{width:370px;height:min(600px,calc(100vh - 110px));display:flex;flex-direction:column;border-radius:16px;overflow:hidden}
@media (max-width:480px){.win{position:fixed;inset:0;width:auto;height:auto;border-radius:0;border:0}:host([open]) .l,:host([open]) .b{display:none}}
.hd{display:flex;align-items:center;gap:8px;padding:10px 10px 10px 14px;background:var(--acc);color:var(--accfg)}
h2{font-size:16px;margin:0;flex:1;min-width:0}
h2,h2 small{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
h2 small{display:block;font-size:13px;font-weight:400}
.ib{width:36px;height:36px;flex:none;border-radius:10px;display:inline-grid;place-items:center}
.hd :focus-visible{outline-color:var(--accfg)}
.banner{padding:6px 14px;font-size:13px;background:var(--soft)}
.body,.log,.pane{flex:1;display:flex;flex-direction:column;min-height:0}
.log,.pane{overflow-y:auto;padding:14px 12px;gap:10px}
.msgs{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
.greet,.msg{max-width:85%;padding:8px 11px;border-radius:14px;background:var(--soft);align-self:flex-start;white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
.msg.me{align-self:flex-end;background:var(--acc);color:var(--accfg)}
.msg.sys{align-self:center;background:none;color:var(--mut);font-size:13px}
.msg img{display:block;max-width:100%;height:auto;max-height:240px;border-radius:8px;margin-bottom:4px}
.msg a,.pane a,.note a{color:inherit;text-decoration:underline}
.msg small{display:block;text-align:right;font-size:11.5px;margin-top:2px;opacity:.85}
.who{display:flex;align-items:center;gap:6px;font-size:12px;color:var(--mut);margin-bottom:3px}
.av{width:22px;height:22px;font-size:11px;font-weight:700;object-fit:cover}
.fail{outline:2px solid var(--bad)}
.err{color:var(--bad);font-size:13px}
.me .err{color:inherit;font-weight:700}
.rt{text-decoration:underline;font-size:inherit}
.typing{padding:0 14px 4px;font-size:13px;color:var(--mut);min-height:20px}
.comp{display:flex;gap:4px;align-items:flex-end;padding:8px;border-top:1px solid var(--line)}
textarea,input{background:var(--bg);border:1px solid var(--mut);border-radius:10px;padding:8px 10px;width:100%;font-weight:400}
.comp textarea{flex:1;resize:none;height:40px;max-height:120px}
.comp .ib{color:var(--mut)}
.comp [type=submit],.btn,.stars [aria-pressed=true]{background:var(--acc);color:var(--accfg)}
.pane p,h3{margin:0}
h3{font-size:15px}
label{display:flex;flex-direction:column;gap:3px;font-size:14px;font-weight:600}
.btn{border-radius:10px;padding:9px 14px;font-weight:600;align-self:flex-start}
.rating{border-top:1px solid var(--line);padding:12px 14px;display:flex;flex-direction:column;gap:8px}
.stars{display:flex;gap:4px}
.stars button{width:40px;height:40px;border:1px solid var(--line);border-radius:10px;font-size:20px}
.rating textarea{height:56px;resize:vertical}
.note{padding:8px 14px;font-size:13px;text-align:center;margin:0}
[aria-invalid=true]{border:2px solid var(--bad)}
`;
