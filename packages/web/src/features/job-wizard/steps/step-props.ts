/**
 * @module
 * What every wizard step receives.
 */
import type { JobTemplate } from '../../../api/types.ts';
import type { WizardState } from '../wizard-state.ts';

/** Props of a wizard step. */
export interface StepProps {
  state: WizardState;
  update: (changes: Partial<WizardState>) => void;
  template: JobTemplate | undefined;
}
