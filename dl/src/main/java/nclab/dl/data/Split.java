package nclab.dl.data;

/** Which part of a dataset to load: the training images or the held-out test images. */
public enum Split {
    TRAIN,
    TEST;

    /** Lower-case name, as used in image-set names ("fashion-mnist/train"). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
