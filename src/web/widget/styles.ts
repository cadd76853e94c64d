/** The widget's styles, scoped by its shadow root. */
export const STYLES = `
:host{all:initial;position:fixed;right:20px;bottom:20px;z-index:2147483000;font:15px/1.4 system-ui,-apple-system,sans-serif;color:#1b1f24}
.launcher{background:#1f4fd1;color:#fff;border:0;border-radius:24px;padding:12px 18px;font:inherit;font-weight:600;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.launcher:focus-visible,button:focus-visible,input:focus-visible,.log:focus-visible{outline:3px solid #ffb000;outline-offset:2px}
.panel{position:absolute;right:0;bottom:60px;width:340px;max-width:calc(100vw - 40px);height:460px;max-height:calc(100vh - 100px);background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden}
.panel[hidden]{display:none}
header{display:flex;align-items:center;gap:8px;padding:10px 12px;background:#1f4fd1;color:#fff}
h2{font-size:16px;margin:0;flex:1}
.status{font-size:12px}
.close{background:none;border:0;color:#fff;font-size:22px;cursor:pointer;line-height:1}
.log{list-style:none;margin:0;padding:12px;flex:1;overflow-y:auto;display:flex;flex-direction:column;gap:8px}
.msg{max-width:80%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word}
.msg.agent{background:#eef1f6;align-self:flex-start}
.msg.visitor{background:#1f4fd1;color:#fff;align-self:flex-end}
.msg.system{align-self:center;font-size:12px;color:#4a5361}
.msg.pending{opacity:.6}
form{display:flex;gap:6px;padding:10px;border-top:1px solid #d8dde6}
input{flex:1;font:inherit;padding:8px;border:1px solid #8a94a6;border-radius:6px}
form button{background:#1f4fd1;color:#fff;border:0;border-radius:6px;padding:8px 12px;font:inherit;cursor:pointer}
.voice{display:flex;align-items:center;gap:6px;padding:8px 10px;border-bottom:1px solid #d8dde6;font-size:13px}
.voice[hidden],.voice [hidden]{display:none}
.voice button{border:1px solid #1f4fd1;background:#fff;color:#1f4fd1;border-radius:6px;padding:6px 10px;font:inherit;cursor:pointer}
.voice .call{background:#1f4fd1;color:#fff}
.voice .hangup{background:#b3261e;border-color:#b3261e;color:#fff}
.voice .mute[aria-pressed=true]{background:#1b1f24;border-color:#1b1f24;color:#fff}
.call-state{flex:1}
.timer{font-variant-numeric:tabular-nums;color:#4a5361}
.msg.voice{border-left:3px solid #0b7a5a}
.msg.voice.system{border:0}
.caption{margin:0;padding:0 12px;min-height:0;font-size:13px;color:#4a5361;font-style:italic}
:host([data-call=in-call]) .launcher{background:#0b7a5a}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`;
