/**
 * A config form generated from a JSON Schema spec (a connector's connection_specification or a
 * destination type's schema): one field per property, secrets as password inputs. Values are
 * kept as typed text and turned into a typed config by the same rules as the testing values.
 */
import type { InputForm } from '../../model/form.js';
import type { TestingValues } from '../../model/testing-values.js';
import { humanized } from './spec-inputs.js';

export { specInputs } from './spec-inputs.js';

export function SpecForm(props: { inputs: InputForm[]; values: TestingValues; onChange: (values: TestingValues) => void; idPrefix: string }) {
  const { inputs, values, onChange, idPrefix } = props;
  if (inputs.length === 0) return <p className="help">This spec has no inputs.</p>;
  const set = (key: string, value: string) => onChange({ ...values, [key]: value });
  return (
    <div className="ws-spec-form grid2">
      {inputs.map((input) => {
        const fieldId = `${idPrefix}-${input.key}`;
        const wide = input.type === 'object' || input.type === 'array' || input.description.length > 40;
        return (
          <div key={input.key} className={`field${wide ? ' wide' : ''}`}>
            <label htmlFor={fieldId}>
              {input.title || humanized(input.key)}
              {input.required ? <span className="req">*</span> : null}
              <span className="tv-key mono">{input.key}</span>
            </label>
            {input.enum.length > 0 || input.type === 'boolean' ? (
              <select id={fieldId} name={input.key} value={values[input.key] ?? ''} onChange={(e) => set(input.key, e.target.value)}>
                <option value="">{input.default ? `(default: ${input.default})` : '—'}</option>
                {(input.enum.length > 0 ? input.enum : ['true', 'false']).map((option) => <option key={option}>{option}</option>)}
              </select>
            ) : input.type === 'object' ? (
              <textarea id={fieldId} name={input.key} className="mono" rows={3} placeholder='{"key": "value"} (JSON)' value={values[input.key] ?? ''} onChange={(e) => set(input.key, e.target.value)} />
            ) : (
              <input
                id={fieldId}
                name={input.key}
                className="mono"
                type={input.secret ? 'password' : 'text'}
                autoComplete={input.secret ? 'new-password' : 'off'}
                placeholder={placeholderOf(input)}
                value={values[input.key] ?? ''}
                onChange={(e) => set(input.key, e.target.value)}
              />
            )}
            {input.description ? <span className="help">{input.description}</span> : null}
          </div>
        );
      })}
    </div>
  );
}

function placeholderOf(input: InputForm): string {
  if (input.default) return `default: ${input.default}`;
  if (input.examples[0]) return `e.g. ${input.examples[0]}`;
  switch (input.type) {
    case 'date':
      return 'YYYY-MM-DD';
    case 'date-time':
      return 'YYYY-MM-DDTHH:mm:ssZ';
    case 'array':
      return 'a, b, c';
    case 'integer':
    case 'number':
      return 'a number';
    default:
      return '';
  }
}
