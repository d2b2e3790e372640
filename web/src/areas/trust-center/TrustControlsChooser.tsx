// The trust center's "Controls shown": whole categories or single controls, none until chosen,
// and whether only the controls in place are listed.
import { CheckboxField } from "../../ui/Field";
import type { TrustCenter, TrustSettings } from "./types";

export interface ControlChoice {
  shownCategories: string[];
  shownControls: string[];
  onlyInPlace: boolean;
}

/**
 * The draft's choice as categories and single controls. A trust center from before choosing
 * existed (every control but the hidden ones) is shown as the same listing: a category with
 * nothing hidden is chosen whole, the rest control by control. Saving stores it that way.
 */
export function choiceOf(center: TrustCenter): ControlChoice {
  const d: TrustSettings = center.draft;
  if (d.controlSelection === "chosen") {
    return {
      shownCategories: d.shownCategories,
      shownControls: d.shownControls,
      onlyInPlace: d.onlyInPlace,
    };
  }
  const shownCategories: string[] = [];
  const shownControls: string[] = [];
  for (const category of center.categories) {
    if (d.hiddenCategories.includes(category.name)) continue;
    const keys = category.controls.map((c) => c.key);
    if (keys.some((key) => d.hiddenControls.includes(key))) {
      shownControls.push(...keys.filter((key) => !d.hiddenControls.includes(key)));
    } else {
      shownCategories.push(category.name);
    }
  }
  return { shownCategories, shownControls, onlyInPlace: d.onlyInPlace };
}

function toggled(list: string[], item: string, on: boolean): string[] {
  return on ? [...new Set([...list, item])] : list.filter((x) => x !== item);
}

export function TrustControlsChooser({
  categories,
  value,
  onChange,
  legacy,
}: {
  categories: TrustCenter["categories"];
  value: ControlChoice;
  onChange: (value: ControlChoice) => void;
  /** The draft still lists every control but the hidden ones. */
  legacy: boolean;
}) {
  const chosenCount = categories.flatMap((c) =>
    value.shownCategories.includes(c.name)
      ? c.controls
      : c.controls.filter((k) => value.shownControls.includes(k.key)),
  ).length;
  const total = categories.reduce((n, c) => n + c.controls.length, 0);
  return (
    <>
      <p className="field-hint">
        The public page lists only what you choose here: a category ticked whole also lists any
        control added to it later. Each control shows “In place” while it passes and “In progress”
        otherwise; failure details are never shown publicly.
      </p>
      {legacy && (
        <p className="field-hint">
          This trust center was set up to list every control except those left out; saving shows the
          same controls as chosen here, and controls added to the catalog later are not listed until
          you choose them.
        </p>
      )}
      <CheckboxField
        label="Show only controls in place"
        name="onlyInPlace"
        checked={value.onlyInPlace}
        onChange={(e) => onChange({ ...value, onlyInPlace: e.target.checked })}
        hint="A chosen control that is not passing at the moment stays off the public page until it passes again."
      />
      <p className="field-hint" aria-live="polite">
        {chosenCount === 0
          ? "No control chosen: the public page has no controls section."
          : `${chosenCount} of ${total} controls chosen.`}
      </p>
      <div className="trust-categories">
        {categories.map((category) => {
          const whole = value.shownCategories.includes(category.name);
          return (
            <fieldset key={category.name} className="trust-category">
              <legend className="trust-category-legend">
                <label className="trust-check">
                  <input
                    type="checkbox"
                    className="checkbox"
                    checked={whole}
                    onChange={(e) =>
                      onChange({
                        ...value,
                        shownCategories: toggled(
                          value.shownCategories,
                          category.name,
                          e.target.checked,
                        ),
                        // Chosen whole, its single choices are no longer needed.
                        shownControls: e.target.checked
                          ? value.shownControls.filter(
                              (key) => !category.controls.some((c) => c.key === key),
                            )
                          : value.shownControls,
                      })
                    }
                  />
                  {category.name} (whole category)
                </label>
              </legend>
              <ul className="trust-control-list">
                {category.controls.map((control) => (
                  <li key={control.key}>
                    <label className="trust-check">
                      <input
                        type="checkbox"
                        className="checkbox"
                        disabled={whole}
                        checked={whole || value.shownControls.includes(control.key)}
                        onChange={(e) =>
                          onChange({
                            ...value,
                            shownControls: toggled(
                              value.shownControls,
                              control.key,
                              e.target.checked,
                            ),
                          })
                        }
                      />
                      {control.title}
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          );
        })}
      </div>
    </>
  );
}
