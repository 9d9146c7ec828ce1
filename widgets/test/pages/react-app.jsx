// The seed's React component and App, verbatim but for two test hooks marked below; bundled with the real
// react and react-dom from npm by the test server.
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

async function fetchOperatorToken() {
  const response = await fetch('/api/chathub/token');
  return (await response.json()).token;
}

function ChatHubWidget({ operatorToken }) {
useEffect(() => {
if (!operatorToken) return;
// Load widget
const script = document.createElement('script');
script.type = 'module';
script.id = 'operator-chat-panel-script';
script.src = 'https://widget.smsbat.com/operator-chat-panel/widget-script.js';
script.setAttribute('token', operatorToken);
document.body.appendChild(script);
// Cleanup on unmount
return () => {
const existing = document.getElementById('operator-chat-panel-script');
if (existing) {
existing.remove();
}
};
}, [operatorToken]);
return null;
}
// Usage
function App() {
const [token, setToken] = useState('');
window.__setToken = setToken; // test hook: a new token, as after a refresh
useEffect(() => {
async function init() {
const operatorToken = await fetchOperatorToken();
setToken(operatorToken);
}
init();
}, []);
return (
<div>
<h1>My App</h1>
<ChatHubWidget operatorToken={token} />
</div>
);
}

// test hook: unmount the whole app
function Harness() {
  const [shown, setShown] = useState(true);
  window.__unmount = () => setShown(false);
  return shown ? <App /> : <p>unmounted</p>;
}
createRoot(document.getElementById('root')).render(<Harness />);
