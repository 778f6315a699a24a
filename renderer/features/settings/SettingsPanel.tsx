import { useEffect, useState } from 'react';
import type { VenueSettingsView } from '../../../core/protocol/index.ts';
import { useEngineStore } from '../../stores/engine-store.ts';
import type { VenueChoice, VenueForm } from './venue-form.ts';
import { checkForm, formFromView, massQuoteSwitch } from './venue-form.ts';
import './settings.css';

const CURRENCIES = ['BTC', 'ETH'] as const;
const CHOICES: readonly { readonly value: VenueChoice; readonly label: string }[] = [
  { value: 'simulator', label: 'Embedded simulator' },
  { value: 'testnet', label: 'Deribit testnet' },
  { value: 'production', label: 'Deribit production' },
  { value: 'custom', label: 'Other Deribit API v2 address' },
];

/** In web mode the venue is chosen where the engine runs: on the command line. */
function WebModeSettings() {
  const venues = useEngineStore((view) => view.state?.venues);
  return (
    <div className="panel-column settings" data-testid="settings-panel">
      <h3 className="section-title">Venue</h3>
      <p>
        This is web mode: the engine runs where <code>npm run serve</code> was started, and the venue is chosen there, with the API key taken from the environment so it never reaches this page:
      </p>
      <p>
        <code>DERIBIT_CLIENT_ID=… DERIBIT_CLIENT_SECRET=… npm run serve -- --venue-url wss://test.deribit.com/ws/api/v2 --venue-currencies BTC</code>
      </p>
      <p className="muted">Without --venue-url the engine trades against its embedded simulator.</p>
      <h3 className="section-title">Connected now</h3>
      {(venues ?? []).length === 0 ? <p className="muted">No venue (started with --no-sim).</p> : null}
      {(venues ?? []).map((venue) => (
        <p key={venue.venueId}>
          {venue.displayName}: {venue.state} {venue.detail ? `— ${venue.detail}` : ''}
        </p>
      ))}
    </div>
  );
}

/** The desktop app's venue settings: keys go to the OS keychain through the main process, once. */
function DesktopSettings({ bridge }: { readonly bridge: NonNullable<Window['workstation']> }) {
  const [view, setView] = useState<VenueSettingsView | undefined>();
  const [form, setForm] = useState<VenueForm | undefined>();
  const [outcome, setOutcome] = useState<{ readonly ok: boolean; readonly text: string } | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    bridge.getVenueSettings().then(
      (loaded) => {
        if (!live) return;
        setView(loaded);
        setForm(formFromView(loaded));
      },
      (error: unknown) => live && setLoadError(String(error)),
    );
    return () => {
      live = false;
    };
  }, [bridge]);

  if (loadError) return <div className="panel-column settings settings-refused">Venue settings could not be read: {loadError}</div>;
  if (!view || !form) return <div className="panel-column settings muted">Reading venue settings…</div>;
  const check = checkForm(form);
  const update = (patch: Partial<VenueForm>): void => {
    setForm({ ...form, ...patch });
    setOutcome(undefined);
  };
  const save = (): void => {
    if (!check.ok) return;
    void bridge.setVenueSettings(check.input).then(async (result) => {
      if (!result.ok) return setOutcome({ ok: false, text: result.reason });
      const reloaded = await bridge.getVenueSettings();
      setView(reloaded);
      setForm(formFromView(reloaded));
      setOutcome({ ok: true, text: reloaded.restartNeeded ? 'Saved. Restart the app to connect with the new settings.' : 'Saved.' });
    });
  };
  const needsKeys = form.choice !== 'simulator';
  const massQuote = massQuoteSwitch(form);
  return (
    <div className="panel-column settings" data-testid="settings-panel">
      <h3 className="section-title">Venue</h3>
      {view.problem ? <p className="settings-problem">{view.problem}</p> : null}
      <div className="settings-field">
        <span>Connect to</span>
        <select className="field-input" value={form.choice} onChange={(event) => update({ choice: event.target.value as VenueChoice })} data-testid="settings-venue">
          {CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
        {form.choice === 'custom' ? (
          <>
            <span>Address</span>
            <input className="field-input" value={form.customUrl} placeholder="wss://…/ws/api/v2" onChange={(event) => update({ customUrl: event.target.value })} />
          </>
        ) : null}
        {needsKeys ? (
          <>
            <span>Currencies</span>
            <span className="settings-row">
              {CURRENCIES.map((currency) => (
                <label key={currency}>
                  <input
                    type="checkbox"
                    checked={form.currencies.includes(currency)}
                    onChange={(event) => update({ currencies: event.target.checked ? [...form.currencies, currency] : form.currencies.filter((c) => c !== currency) })}
                  />
                  {currency}
                </label>
              ))}
            </span>
            <span>Client id</span>
            <input className="field-input" value={form.clientId} autoComplete="off" onChange={(event) => update({ clientId: event.target.value })} />
            <span>Client secret</span>
            <input
              className="field-input"
              type="password"
              value={form.clientSecret}
              autoComplete="off"
              placeholder={view.venue.kind === 'deribit' && view.venue.hasSecret ? 'stored in the keychain; type to replace' : ''}
              onChange={(event) => update({ clientSecret: event.target.value })}
            />
          </>
        ) : null}
        <span>Mass quotes</span>
        <label className="settings-row">
          <input type="checkbox" checked={massQuote.checked} disabled={massQuote.disabled} onChange={(event) => update({ massQuote: event.target.checked })} data-testid="settings-mass-quote" />
          <span className="muted">{massQuote.note}</span>
        </label>
      </div>
      <p className={view.keychain.available ? 'muted' : 'settings-problem'}>Key storage: {view.keychain.detail}</p>
      <div className="settings-row">
        <button type="button" className="button button-primary" disabled={!check.ok} onClick={save} data-testid="settings-save">
          Save
        </button>
        {!check.ok ? <span className="settings-refused">{check.reason}</span> : null}
        {outcome ? <span className={outcome.ok ? 'muted' : 'settings-refused'}>{outcome.text}</span> : null}
      </div>
    </div>
  );
}

export function SettingsPanel() {
  const bridge = window.workstation;
  return bridge ? <DesktopSettings bridge={bridge} /> : <WebModeSettings />;
}
