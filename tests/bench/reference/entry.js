// The reference bundle: the usual JavaScript stack for Vigil's job with no app in it.
// Sign-in (MSAL), Graph paging (Graph JS client), one chart (Chart.js), and React to render.
// `cargo xtask bench` bundles it with esbuild (minified) and compares its size with Vigil's.
import { PublicClientApplication } from '@azure/msal-browser';
import { Client, PageIterator } from '@microsoft/microsoft-graph-client';
import { Chart, LineController, LineElement, PointElement, LinearScale, CategoryScale } from 'chart.js';
import { createElement, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale);

const msal = new PublicClientApplication({
  auth: { clientId: 'client-id', authority: 'https://login.microsoftonline.com/tenant-id', redirectUri: '/' },
  cache: { cacheLocation: 'sessionStorage' },
});

async function token() {
  await msal.initialize();
  const result = await msal.handleRedirectPromise();
  const account = result?.account ?? msal.getAllAccounts()[0];
  if (!account) {
    await msal.loginRedirect({ scopes: ['SecurityAlert.Read.All'] });
    return null;
  }
  const silent = await msal.acquireTokenSilent({ account, scopes: ['SecurityAlert.Read.All'] });
  return silent.accessToken;
}

async function alerts(accessToken) {
  const client = Client.init({ authProvider: (done) => done(null, accessToken) });
  const first = await client.api('/security/alerts_v2').top(1000).get();
  const all = [];
  const pages = new PageIterator(client, first, (alert) => { all.push(alert); return true; });
  await pages.iterate();
  return all;
}

function Dashboard() {
  const canvas = useRef(null);
  const [rows, setRows] = useState([]);
  useEffect(() => {
    token().then((t) => (t ? alerts(t) : [])).then(setRows);
  }, []);
  useEffect(() => {
    if (!canvas.current) return undefined;
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: { labels: rows.map((_, i) => i), datasets: [{ label: 'alerts', data: rows.map((_, i) => i) }] },
    });
    return () => chart.destroy();
  }, [rows]);
  return createElement('div', null, createElement('p', null, `${rows.length} alerts`), createElement('canvas', { ref: canvas }));
}

createRoot(document.getElementById('root')).render(createElement(Dashboard));
