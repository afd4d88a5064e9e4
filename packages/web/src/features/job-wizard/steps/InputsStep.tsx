/**
 * @module
 * Wizard step 2: the template's user inputs (required first, advanced folded, options as
 * selects, hidden values masked, descriptions shown).
 */
import { ExpandableSection, Form, FormGroup, FormHelperText, FormSelect, FormSelectOption, HelperText, HelperTextItem, TextArea, TextInput } from '@patternfly/react-core';

import type { TemplateInput } from '../../../api/types.ts';
import { orderInputs } from '../wizard-state.ts';
import type { StepProps } from './step-props.ts';

function InputField({ input, value, onChange }: { input: TemplateInput; value: string; onChange: (v: string) => void }) {
  const id = `input-${input.name}`;
  const options = (input.options ?? '').split('\n').map((o) => o.trim()).filter((o) => o !== '');
  let field;
  if (options.length > 0) {
    field = (
      <FormSelect id={id} value={value} onChange={(_e, v) => onChange(v)} aria-label={input.name}>
        <FormSelectOption value="" label="—" />
        {options.map((o) => (
          <FormSelectOption key={o} value={o} label={o} />
        ))}
      </FormSelect>
    );
  } else if (input.hidden_value) {
    field = <TextInput id={id} type="password" autoComplete="off" value={value} onChange={(_e, v) => onChange(v)} aria-label={input.name} />;
  } else {
    field = <TextArea id={id} value={value} onChange={(_e, v) => onChange(v)} aria-label={input.name} autoResize rows={1} placeholder={input.default ?? ''} />;
  }
  return (
    <FormGroup label={input.name} fieldId={id} isRequired={input.required ?? false}>
      {field}
      {input.description ? (
        <FormHelperText>
          <HelperText>
            <HelperTextItem>{input.description}</HelperTextItem>
          </HelperText>
        </FormHelperText>
      ) : null}
    </FormGroup>
  );
}

/** The inputs form. */
export function InputsStep({ state, update, template }: StepProps) {
  const { basic, advanced } = orderInputs(template?.template_inputs ?? []);
  const set = (name: string, v: string) => update({ inputs: { ...state.inputs, [name]: v } });
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      {basic.length + advanced.length === 0 ? <p>This template has no inputs.</p> : null}
      {basic.map((i) => (
        <InputField key={i.name} input={i} value={state.inputs[i.name] ?? ''} onChange={(v) => set(i.name, v)} />
      ))}
      {advanced.length > 0 ? (
        <ExpandableSection toggleText="Advanced inputs">
          {advanced.map((i) => (
            <InputField key={i.name} input={i} value={state.inputs[i.name] ?? ''} onChange={(v) => set(i.name, v)} />
          ))}
        </ExpandableSection>
      ) : null}
    </Form>
  );
}
